/* The issue-6 hooks of the device: boot status, the firmware mailbox (driver and firmware
 * sides of one RAM, the command event), the MAC link events, the flash behind FW_FLASH_*
 * and its backdoor, power cycles; then the embedded core running small hand-assembled
 * programs: CSR window reads and writes, the flash windows, a bus error, IMEM direct
 * boot, and CORE_RESET with DMEM surviving it. */
#include "model_test.h"

#define VND(f) (VN_VENDOR_BASE + VN_VENDOR_##f)

static uint32_t info_of(uint32_t kind, uint32_t log2size, uint32_t off)
{
    return VN_EVT_INFO_VALID | kind << VN_EVT_INFO_KIND_SHIFT | log2size << VN_EVT_INFO_SIZE_SHIFT | off;
}

static void expect_event(vn_model *m, uint32_t info, uint32_t data)
{
    CHECK_EQ(vn_model_fw_irq(m), 1);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_INFO), info);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_DATA), data);
    fw_wr(m, VN_FW_EVT_POP, 1);
}

static void test_mailbox(vn_model *m)
{
    CHECK_EQ(bar_rd(m, VND(VND_BOOT_STATUS), 4), VN_BOOT_SLOT_HOST);
    fw_wr(m, VN_FW_FW_BOOT_STATUS, VN_BOOT_SLOT_B | VN_BOOT_FELL_BACK);
    CHECK_EQ(bar_rd(m, VND(VND_BOOT_STATUS), 4), VN_BOOT_SLOT_B | VN_BOOT_FELL_BACK);

    bar_wr(m, VND(VND_MBOX_ARG0), 4, 0xa0a0a0a0);
    bar_wr(m, VND(VND_MBOX_ARG1), 4, 0xa1a1a1a1);
    bar_wr(m, VND(VND_MBOX_ARG1) + 1, 1, 0x55);
    CHECK_EQ(fw_rd(m, VN_FW_MBOX_ARG0), 0xa0a0a0a0);
    CHECK_EQ(fw_rd(m, VN_FW_MBOX_ARG1), 0xa1a155a1);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_ARG0), 4), 0xa0a0a0a0);
    for (uint32_t i = 0; i < VN_MBOX_DATA_BYTES / 4; i++)
        bar_wr(m, VND(VND_MBOX_DATA) + 4 * i, 4, 0x1000u + i);
    bar_wr(m, VND(VND_MBOX_DATA) + 5, 1, 0xee);
    CHECK_EQ(fw_rd(m, VN_FW_MBOX_DATA0), 0x1000);
    CHECK_EQ(fw_rd(m, VN_FW_MBOX_DATA0 + 4), 0xee01);
    CHECK_EQ(fw_rd(m, VN_FW_MBOX_DATA0 + VN_MBOX_DATA_BYTES - 4), 0x1000 + VN_MBOX_DATA_BYTES / 4 - 1);
    fw_wr(m, VN_FW_MBOX_DATA0 + 8, 0xfeedf00d);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 8, 4), 0xfeedf00d);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 10, 2), 0xfeed);
    CHECK_EQ(vn_model_fw_irq(m), 0); /* none of that is an event */

    /* the command: stored, busy at once, one event */
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_STATUS), 4), 0);
    bar_wr(m, VND(VND_MBOX_CMD), 4, VN_MBOX_CMD_INFO);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_STATUS), 4), VN_MBOX_STATUS_BUSY);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_CMD), 4), VN_MBOX_CMD_INFO);
    CHECK_EQ(fw_rd(m, VN_FW_MBOX_CMD), VN_MBOX_CMD_INFO);
    CHECK_EQ(fw_rd(m, VN_FW_MBOX_STATUS), VN_MBOX_STATUS_BUSY);
    expect_event(m, info_of(VN_EVT_KIND_VENDOR, 2, VN_VENDOR_VND_MBOX_CMD), VN_MBOX_CMD_INFO);
    CHECK_EQ(vn_model_fw_irq(m), 0);
    uint32_t done = 7u << VN_MBOX_PROGRESS_SHIFT | VN_MBOX_ERR_BAD_ARG << VN_MBOX_ERR_SHIFT;
    fw_wr(m, VN_FW_MBOX_STATUS, done);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_STATUS), 4), done);
    bar_wr(m, VND(VND_MBOX_CMD), 4, VN_MBOX_CMD_REBOOT);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_STATUS), 4), done | VN_MBOX_STATUS_BUSY);
    expect_event(m, info_of(VN_EVT_KIND_VENDOR, 2, VN_VENDOR_VND_MBOX_CMD), VN_MBOX_CMD_REBOOT);
}

static void test_link(vn_model *m)
{
    CHECK_EQ(fw_rd(m, VN_FW_LINK_STATUS), 1);
    CHECK_EQ(vn_model_fw_irq(m), 0);
    vn_model_set_link(m, 0);
    vn_model_step(m, 4);
    CHECK_EQ(fw_rd(m, VN_FW_LINK_STATUS), 0);
    expect_event(m, info_of(VN_EVT_KIND_LINK, 2, 0), 0);
    vn_model_set_link(m, 0); /* no change, no event */
    vn_model_step(m, 4);
    CHECK_EQ(vn_model_fw_irq(m), 0);
    vn_model_set_link(m, 1);
    vn_model_step(m, 4);
    expect_event(m, info_of(VN_EVT_KIND_LINK, 2, 0), 1);
    CHECK_EQ(vn_model_fw_irq(m), 0);
}

static void test_flash(vn_model *m)
{
    const uint8_t pat[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    uint8_t back[12];
    CHECK_EQ(vn_model_flash_write(m, 0x1000, pat, sizeof pat), 0);
    CHECK_EQ(vn_model_flash_read(m, 0x1000, back, sizeof back), 0);
    CHECK(memcmp(pat, back, sizeof pat) == 0);
    const uint8_t two[2] = {0xaa, 0xbb}; /* a partial word keeps its other bytes */
    CHECK_EQ(vn_model_flash_write(m, 0x1004, two, 2), 0);
    CHECK_EQ(vn_model_flash_read(m, 0x1004, back, 4), 0);
    CHECK(back[0] == 0xaa && back[1] == 0xbb && back[2] == 7 && back[3] == 8);
    CHECK_EQ(vn_model_flash_write(m, 0x1002, two, 2), -EINVAL);
    CHECK_EQ(vn_model_flash_read(m, VN_FLASH_SECTORS * VN_FLASH_SECTOR_BYTES - 4, back, 8), -EINVAL);

    fw_wr(m, VN_FW_FLASH_ADDR, 0x1000);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_DATA), 0x04030201);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_DATA), 0x0807bbaa);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_ADDR), 0x1008);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_INFO),
             (VN_FLASH_SECTOR_BYTES / 1024) << 16 | VN_FLASH_SECTORS);

    /* an erase cut by a power cycle leaves the sector partly erased */
    static uint8_t zero[VN_FLASH_SECTOR_BYTES];
    uint32_t sec = 2 * VN_FLASH_SECTOR_BYTES;
    CHECK_EQ(vn_model_flash_write(m, sec, zero, sizeof zero), 0);
    fw_wr(m, VN_FW_FLASH_ADDR, sec);
    fw_wr(m, VN_FW_FLASH_CMD, VN_FLASH_CMD_ERASE);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_STATUS), VN_FLASH_STATUS_BUSY);
    vn_model_step(m, VN_FLASH_ERASE_CYCLES / 2);
    fw_wr(m, VN_FW_FW_BOOT_STATUS, VN_BOOT_SLOT_B);
    vn_model_power_cycle(m);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_STATUS), 0);
    CHECK_EQ(fw_rd(m, VN_FW_FW_BOOT_STATUS), VN_BOOT_SLOT_HOST); /* registers reset */
    CHECK_EQ(fw_rd(m, VN_FW_MBOX_STATUS), 0);
    static uint8_t sbuf[VN_FLASH_SECTOR_BYTES];
    CHECK_EQ(vn_model_flash_read(m, sec, sbuf, sizeof sbuf), 0);
    unsigned erased = 0;
    for (unsigned i = 0; i < sizeof sbuf; i++)
        erased += sbuf[i] == 0xff;
    CHECK(erased > sizeof sbuf / 4 && erased < sizeof sbuf * 3 / 4);
    CHECK(sbuf[0] == 0xff && sbuf[sizeof sbuf - 1] == 0);
    CHECK_EQ(vn_model_flash_read(m, 0x1000, back, 4), 0); /* other data survives */
    CHECK(back[0] == 1 && back[3] == 4);

    /* a full erase, then a program */
    t_enable(m, 1);
    fw_wr(m, VN_FW_FLASH_ADDR, sec);
    fw_wr(m, VN_FW_FLASH_CMD, VN_FLASH_CMD_ERASE);
    vn_model_step(m, VN_FLASH_ERASE_CYCLES + 8);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_STATUS), 0);
    fw_wr(m, VN_FW_FLASH_ADDR, sec + 8);
    fw_wr(m, VN_FW_FLASH_DATA, 0x0f0f0f0f);
    fw_wr(m, VN_FW_FLASH_CMD, VN_FLASH_CMD_PROGRAM);
    vn_model_step(m, VN_FLASH_PROGRAM_CYCLES + 8);
    fw_wr(m, VN_FW_FLASH_ADDR, sec + 4);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_DATA), 0xffffffff);
    CHECK_EQ(fw_rd(m, VN_FW_FLASH_DATA), 0x0f0f0f0f);
}

/* ---- core mode: RV32I encodings for the test programs ---------------------------------- */
enum { X0, RA, SP, GP, TP, T0, T1, T2, S0, S1, A0, A1, A2, A3, A4, A5 };
static uint32_t hi20(uint32_t v) { return (v + 0x800u) & 0xfffff000u; }
static uint32_t lui(unsigned rd, uint32_t v) { return hi20(v) | rd << 7 | 0x37; }
static uint32_t itype(uint32_t op, unsigned f3, unsigned rd, unsigned rs1, uint32_t imm)
{
    return (imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static uint32_t addi(unsigned rd, unsigned rs1, uint32_t imm) { return itype(0x13, 0, rd, rs1, imm); }
static uint32_t lw(unsigned rd, unsigned rs1, uint32_t imm) { return itype(0x03, 2, rd, rs1, imm); }
static uint32_t jalr(unsigned rs1) { return itype(0x67, 0, X0, rs1, 0); }
static uint32_t csrrw(unsigned rd, uint32_t csr, unsigned rs1) { return itype(0x73, 1, rd, rs1, csr); }
static uint32_t csrrs(unsigned rd, uint32_t csr, unsigned rs1) { return itype(0x73, 2, rd, rs1, csr); }
static uint32_t sw(unsigned rs2, unsigned rs1, uint32_t imm)
{
    return (imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | 2u << 12 | (imm & 0x1f) << 7 | 0x23;
}
static uint32_t bge(unsigned rs1, unsigned rs2, int32_t off) /* B-type */
{
    uint32_t o = (uint32_t)off;
    return (o >> 12 & 1) << 31 | (o >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | 5u << 12 |
           (o >> 1 & 0xf) << 8 | (o >> 11 & 1) << 7 | 0x63;
}
static const uint32_t spin = 0x0000006f; /* jal x0, . */

#define OUT(i) (VN_FW_MBOX_DATA0 + 4 * (i)) /* results go to the mailbox data window */
#define HANDLER_WORD 40

static void test_core(void)
{
    struct vn_model_cfg cfg = {.dma_latency = 100, .firmware_core = 1};
    vn_model *m = vn_model_new(&cfg);
    if (!m) {
        perror("vn_model_new");
        t_failures++;
        return;
    }
    CHECK_EQ(vn_model_fw_ready(m), 0);

    uint32_t rom[64] = {0}, n = 0;
    rom[n++] = lui(T0, VN_CORE_CSR_BASE);
    rom[n++] = lui(T1, 0x12345678);
    rom[n++] = addi(T1, T1, 0x12345678 - hi20(0x12345678));
    rom[n++] = sw(T1, T0, OUT(0));
    rom[n++] = lw(T2, T0, VN_FW_FW_ID);          /* a read: the answer a cycle later */
    rom[n++] = sw(T2, T0, OUT(1));
    rom[n++] = lw(T2, T0, VN_FW_MBOX_ARG0);
    rom[n++] = sw(T2, T0, OUT(2));
    rom[n++] = lui(A0, VN_CORE_FLASH_BASE);
    rom[n++] = lw(T2, A0, 4);                    /* flash word 1 through the window */
    rom[n++] = sw(T2, T0, OUT(3));
    rom[n++] = lui(A0, VN_CORE_FLASH_CTRL);
    rom[n++] = lw(T2, A0, VN_FW_FLASH_INFO - VN_FW_FLASH_ADDR);
    rom[n++] = sw(T2, T0, OUT(4));
    /* boots counted in DMEM, which a core reset keeps: reset twice by CORE_RESET */
    rom[n++] = lui(S0, VN_CORE_DMEM_BASE);
    rom[n++] = lw(A3, S0, 0);
    rom[n++] = addi(A3, A3, 1);
    rom[n++] = sw(A3, S0, 0);
    rom[n++] = sw(A3, T0, OUT(5));
    rom[n++] = addi(A4, X0, 3);
    rom[n++] = bge(A3, A4, 20);                  /* third boot: go on */
    rom[n++] = lui(A5, VN_CORE_RESET_KEY);
    rom[n++] = addi(A5, A5, VN_CORE_RESET_KEY - hi20(VN_CORE_RESET_KEY));
    rom[n++] = sw(A5, T0, VN_FW_CORE_RESET);
    rom[n++] = spin;                             /* not reached: the reset comes first */
    rom[n++] = addi(A1, X0, HANDLER_WORD * 4);
    rom[n++] = csrrw(X0, 0x305, A1);             /* mtvec */
    rom[n++] = lui(A0, 0x30000000);              /* unmapped */
    rom[n++] = lw(A1, A0, 0);                    /* -> load access fault */
    rom[n++] = spin;
    CHECK(n <= HANDLER_WORD);
    n = HANDLER_WORD;
    rom[n++] = csrrs(A2, 0x342, X0);             /* mcause */
    rom[n++] = sw(A2, T0, OUT(6));
    rom[n++] = lui(A4, VN_CORE_IMEM_BASE);
    rom[n++] = jalr(A4);
    const uint32_t imem[] = {addi(A5, X0, 0x5a), sw(A5, T0, OUT(7)), lw(X0, T0, VN_FW_EVT_INFO), spin};

    const uint8_t fl[8] = {0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44};
    CHECK_EQ(vn_model_flash_write(m, 0, fl, sizeof fl), 0);
    CHECK_EQ(vn_model_load_rom(m, rom, VN_CORE_ROM_SIZE + 4), -EINVAL);
    CHECK_EQ(vn_model_load_imem(m, 2, imem, 4), -EINVAL);
    t_enable(m, 0);
    bar_wr(m, VND(VND_MBOX_ARG0), 4, 0xc0ffee00);
    /* loaded last: the core (in a trap loop on the empty ROM) must not run it early */
    CHECK_EQ(vn_model_load_imem(m, 0, imem, sizeof imem), 0);
    CHECK_EQ(vn_model_load_rom(m, rom, sizeof rom), 0);
    vn_model_core_reset(m);
    vn_model_step(m, 2000);

    CHECK_EQ(vn_model_fw_ready(m), 1);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 0, 4), 0x12345678);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 4, 4), VN_FW_ID_MAGIC);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 8, 4), 0xc0ffee00);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 12, 4), 0x44332211);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 16, 4), (VN_FLASH_SECTOR_BYTES / 1024) << 16 | VN_FLASH_SECTORS);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 20, 4), 3);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 24, 4), 5); /* load access fault */
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 28, 4), 0x5a);
    CHECK_EQ(bar_rd(m, VND(VND_BOOT_STATUS), 4), VN_BOOT_SLOT_NONE); /* nothing published it */
    struct vn_model_stats st;
    vn_model_get_stats(m, &st);
    CHECK_EQ(st.core_pc, VN_CORE_IMEM_BASE + 12);
    CHECK(st.core_instret > 30); /* the spin at the end retires too */
    printf("core: %llu instructions since the last core reset, pc 0x%08x\n",
           (unsigned long long)st.core_instret, st.core_pc);

    /* the model's core reset: ROM again, DMEM kept (the count goes on from 3) */
    vn_model_core_reset(m);
    CHECK_EQ(vn_model_fw_ready(m), 0);
    vn_model_step(m, 2000);
    CHECK_EQ(vn_model_fw_ready(m), 1);
    CHECK_EQ(bar_rd(m, VND(VND_MBOX_DATA) + 20, 4), 4);
    /* host-mode firmware bus accesses do not reach the registers in core mode */
    fw_wr(m, VN_FW_FW_BOOT_STATUS, VN_BOOT_SLOT_B);
    CHECK_EQ(bar_rd(m, VND(VND_BOOT_STATUS), 4), VN_BOOT_SLOT_NONE);
    vn_model_free(m);
}

int main(void)
{
    struct t_host h;
    vn_model *m = t_new(&h);
    t_enable(m, 0);
    test_mailbox(m);
    test_link(m);
    test_flash(m);
    vn_model_free(m);
    test_core();
    return t_finish("test_model_coresys");
}
