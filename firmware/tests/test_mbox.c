/* test_mbox.c: the firmware mailbox (info, flash update, activate, reboot) against the
 * mock flash, and power cuts at every flash operation of an update followed by the boot
 * ROM's slot selection (fw_boot_select), which must always find a valid image. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "fw.h"
#include "fw_flash.h"
#include "fw_image_check.h"
#include "fw_test.h"
#include "sha256.h"

#define IMG_MAX (FW_IMG_HDR_SIZE + 8192u)

struct img {
    uint8_t b[IMG_MAX];
    uint32_t len;
};

/* A valid image: payload_len bytes of a pattern keyed by tag, version tag.0 */
static void make_img(struct img *im, uint32_t payload_len, uint32_t tag)
{
    struct fw_image_hdr h;
    memset(&h, 0, sizeof h);
    uint8_t *p = im->b + FW_IMG_HDR_SIZE;
    for (uint32_t i = 0; i < payload_len; i++)
        p[i] = (uint8_t)(i * 7 + tag * 31 + (i >> 8));
    h.magic = FW_IMG_MAGIC;
    h.hdr_version = FW_IMG_HDR_VERSION;
    h.hdr_size = FW_IMG_HDR_SIZE;
    h.fw_version = tag << 16;
    h.device_id = FW_IMG_DEVICE_ID;
    h.build_id = 0x1000u + tag;
    h.load_addr = VN_CORE_IMEM_BASE;
    h.entry = VN_CORE_IMEM_BASE;
    h.payload_len = payload_len;
    h.payload_crc = crc32c(p, payload_len);
    sha256(p, payload_len, h.payload_sha);
    fw_image_hdr_encode(&h, im->b);
    fw_image_seal(im->b);
    im->len = FW_IMG_HDR_SIZE + payload_len;
    CHECK_EQ(fw_image_check(im->b, im->len, FW_IMG_DEVICE_ID, NULL), FW_IMG_OK, "test image");
}

static uint32_t mbox(uint32_t cmd, uint32_t a0, uint32_t a1)
{
    mock_mbox_cmd(cmd, a0, a1);
    fw_settle();
    uint32_t st = mock_reg(VN_FW_MBOX_STATUS);
    CHECK_EQ(st & VN_MBOX_STATUS_BUSY, 0, "MBOX_STATUS busy after the command");
    return st;
}
#define ERR(st) (((st) >> VN_MBOX_ERR_SHIFT) & 0xffu)
#define PROG(st) ((st) >> VN_MBOX_PROGRESS_SHIFT)

static void put_data(const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < VN_MBOX_DATA_BYTES / 4; i++) {
        uint8_t w[4] = {0xa5, 0xa5, 0xa5, 0xa5}; /* bytes past n: garbage the fw must ignore */
        for (uint32_t j = 0; j < 4; j++)
            if (4 * i + j < n)
                w[j] = b[4 * i + j];
        mock.regs[VN_FW_MBOX_DATA0 / 4 + i] = fw_img_get32(w);
    }
}

static uint32_t write_chunk(const struct img *im, uint32_t off, uint32_t n)
{
    put_data(im->b + off, n);
    return mbox(VN_MBOX_CMD_WRITE, off, n);
}

/* BEGIN, WRITE..., COMMIT; returns the first status with an error, else COMMIT's. */
static uint32_t flash_img(const struct img *im)
{
    uint32_t st = mbox(VN_MBOX_CMD_BEGIN, im->len, 0);
    if (ERR(st))
        return st;
    for (uint32_t off = 0; off < im->len; off += VN_MBOX_DATA_BYTES) {
        uint32_t n = im->len - off < VN_MBOX_DATA_BYTES ? im->len - off : VN_MBOX_DATA_BYTES;
        st = write_chunk(im, off, n);
        if (ERR(st))
            return st;
    }
    return mbox(VN_MBOX_CMD_COMMIT, 0, 0);
}

static struct fw_info info(void)
{
    uint32_t st = mbox(VN_MBOX_CMD_INFO, 0, 0);
    CHECK_EQ(ERR(st), VN_MBOX_ERR_NONE, "INFO");
    uint32_t w[FW_INFO_WORDS];
    for (uint32_t i = 0; i < FW_INFO_WORDS; i++)
        w[i] = mock_reg(VN_FW_MBOX_DATA0 + 4 * i);
    struct fw_info in;
    fw_info_decode(w, &in);
    return in;
}

static bool slot_holds(uint32_t slot, const struct img *im)
{
    const uint8_t *f = (const uint8_t *)&mock_flash.w[fw_slot_base(slot) / 4];
    return memcmp(f, im->b, im->len) == 0; /* the host is little endian, like the flash */
}

static struct img A1, B2, C3, D4;

static void info_blank(void)
{
    mock_flash_blank();
    struct fw_info in = info();
    CHECK_EQ(in.running_version, FW_VERSION, "running version");
    CHECK_EQ(in.boot_status, VN_BOOT_SLOT_HOST, "boot status");
    CHECK_EQ(in.next_slot, VN_BOOT_SLOT_A, "next slot without a record");
    CHECK_EQ(in.update_slot, VN_BOOT_SLOT_A, "update slot");
    CHECK_EQ(in.slot[0].status, FW_IMG_BAD_MAGIC, "slot A blank");
    CHECK_EQ(in.slot[1].status, FW_IMG_BAD_MAGIC, "slot B blank");
}

static void update_host_mode(void)
{
    mock_flash_blank();
    mock_flash.busy_reads = 3;
    uint32_t st = flash_img(&A1);
    CHECK_EQ(ERR(st), VN_MBOX_ERR_NONE, "flash A1");
    CHECK_EQ(PROG(st), VN_BOOT_SLOT_A, "COMMIT names the slot");
    CHECK(slot_holds(VN_BOOT_SLOT_A, &A1), "slot A holds the image byte for byte");
    CHECK_EQ(mock_flash.last_program, VN_FLASH_SLOT_A / 4, "the header's first word is programmed last");
    struct fw_info in = info();
    CHECK_EQ(in.slot[0].status, FW_IMG_OK, "slot A valid");
    CHECK_EQ(in.slot[0].fw_version, 1u << 16, "slot A version");
    CHECK_EQ(in.slot[0].build_id, 0x1001, "slot A build id");
    CHECK_EQ(in.slot[0].payload_len, A1.len - FW_IMG_HDR_SIZE, "slot A length");
    CHECK_EQ(in.update_slot, VN_BOOT_SLOT_B, "A is what would boot: the next update goes to B");
    /* the second image (odd length) goes to B and leaves A alone */
    st = flash_img(&B2);
    CHECK_EQ(ERR(st), VN_MBOX_ERR_NONE, "flash B2");
    CHECK_EQ(PROG(st), VN_BOOT_SLOT_B, "COMMIT slot");
    CHECK(slot_holds(VN_BOOT_SLOT_B, &B2) && slot_holds(VN_BOOT_SLOT_A, &A1), "both slots");
    st = mbox(VN_MBOX_CMD_ACTIVATE, VN_BOOT_SLOT_B, 0);
    CHECK_EQ(ERR(st), VN_MBOX_ERR_NONE, "activate B");
    in = info();
    CHECK_EQ(in.next_slot, VN_BOOT_SLOT_B, "next boot");
    CHECK_EQ(in.update_slot, VN_BOOT_SLOT_A, "update slot after activating B");
    CHECK_EQ(in.slot[1].status, FW_IMG_OK, "slot B valid");
    /* records alternate between the two sectors and the newest wins */
    for (uint32_t i = 0; i < 5; i++) {
        uint32_t s = i & 1;
        CHECK_EQ(ERR(mbox(VN_MBOX_CMD_ACTIVATE, s, 0)), VN_MBOX_ERR_NONE, "activate");
        CHECK_EQ(info().next_slot, s, "next boot follows the newest record");
    }
    struct fw_boot_choice c;
    static uint8_t imem[VN_CORE_IMEM_SIZE];
    uint32_t bs = fw_boot_select(&c, imem);
    CHECK_EQ(bs, VN_BOOT_SLOT_A, "boot status: A (the last activation), no fallback");
    CHECK(memcmp(imem, A1.b + FW_IMG_HDR_SIZE, A1.len - FW_IMG_HDR_SIZE) == 0, "A1 loaded");
    CHECK_EQ(mock_flash.bad_cmds, 0, "flash commands while busy or out of range");
}

static void core_mode_slots(void)
{
    mock_flash_blank();
    CHECK_EQ(ERR(flash_img(&A1)), 0, "A1 into A (host mode)");
    mock.regs[VN_FW_FW_BOOT_STATUS / 4] = VN_BOOT_SLOT_B; /* as if booted from B */
    uint32_t st = flash_img(&C3);
    CHECK_EQ(PROG(st), VN_BOOT_SLOT_A, "running B: the update goes to A");
    CHECK(slot_holds(VN_BOOT_SLOT_A, &C3), "C3 in A");
    mock.regs[VN_FW_FW_BOOT_STATUS / 4] = VN_BOOT_SLOT_A | VN_BOOT_FELL_BACK;
    st = flash_img(&D4);
    CHECK_EQ(PROG(st), VN_BOOT_SLOT_B, "running A: the update goes to B");
    CHECK(slot_holds(VN_BOOT_SLOT_A, &C3) && slot_holds(VN_BOOT_SLOT_B, &D4), "both");
    /* reboot: answered, then the core reset */
    mock.log_len = 0;
    unsigned from = 0;
    st = mbox(VN_MBOX_CMD_REBOOT, 0, 0);
    CHECK_EQ(ERR(st), VN_MBOX_ERR_NONE, "reboot in core mode");
    CHECK_EQ(mock.core_resets, 1, "CORE_RESET written with the key");
    int w_status = mock_find_write(from, VN_FW_MBOX_STATUS, st);
    int w_reset = mock_find_write(from, VN_FW_CORE_RESET, VN_CORE_RESET_KEY);
    CHECK(w_status >= 0 && w_status < w_reset, "status answered before the reset");
}

static void reboot_host_mode(void)
{
    mock_flash_blank();
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_REBOOT, 0, 0)), VN_MBOX_ERR_UNSUPPORTED, "reboot in host mode");
    CHECK_EQ(mock.core_resets, 0, "no core reset");
}

static void errors(void)
{
    mock_flash_blank();
    CHECK_EQ(ERR(mbox(0x77, 0, 0)), VN_MBOX_ERR_BAD_CMD, "unknown command");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_WRITE, 0, 4)), VN_MBOX_ERR_SEQUENCE, "WRITE before BEGIN");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_COMMIT, 0, 0)), VN_MBOX_ERR_SEQUENCE, "COMMIT before BEGIN");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_BEGIN, 0, 0)), VN_MBOX_ERR_BAD_ARG, "BEGIN 0 bytes");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_BEGIN, FW_IMG_HDR_SIZE, 0)), VN_MBOX_ERR_BAD_ARG, "BEGIN header only");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_BEGIN, FW_IMG_HDR_SIZE + VN_CORE_IMEM_SIZE + 1, 0)),
             VN_MBOX_ERR_BAD_ARG, "BEGIN larger than IMEM");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_ACTIVATE, 2, 0)), VN_MBOX_ERR_BAD_ARG, "ACTIVATE slot 2");
    uint32_t st = mbox(VN_MBOX_CMD_ACTIVATE, VN_BOOT_SLOT_B, 0);
    CHECK_EQ(ERR(st), VN_MBOX_ERR_NO_IMAGE, "ACTIVATE an empty slot");
    CHECK_EQ(PROG(st), FW_IMG_BAD_MAGIC, "the reason");

    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_BEGIN, A1.len, 0)), VN_MBOX_ERR_NONE, "BEGIN");
    CHECK_EQ(ERR(write_chunk(&A1, 4, 256)), VN_MBOX_ERR_BAD_ARG, "WRITE not where the last ended");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_WRITE, 0, 260)), VN_MBOX_ERR_BAD_ARG, "WRITE over the window");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_WRITE, 0, 0)), VN_MBOX_ERR_BAD_ARG, "WRITE 0 bytes");
    CHECK_EQ(ERR(write_chunk(&A1, 0, 6)), VN_MBOX_ERR_BAD_ARG, "WRITE of 6 bytes not at the end");
    CHECK_EQ(ERR(write_chunk(&A1, 0, 256)), VN_MBOX_ERR_NONE, "WRITE");
    CHECK_EQ(PROG(mock_reg(VN_FW_MBOX_STATUS)), 64, "progress: words received");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_COMMIT, 0, 0)), VN_MBOX_ERR_SEQUENCE, "COMMIT before the end");
    uint32_t off = 256;
    for (; A1.len - off > 256; off += 256)
        CHECK_EQ(ERR(write_chunk(&A1, off, 256)), 0, "WRITE");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_WRITE, off, A1.len - off + 4)), VN_MBOX_ERR_BAD_ARG, "WRITE past the end");
    CHECK_EQ(ERR(write_chunk(&A1, off, A1.len - off)), 0, "last WRITE");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_COMMIT, 0, 0)), 0, "COMMIT");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_COMMIT, 0, 0)), VN_MBOX_ERR_SEQUENCE, "COMMIT twice");

    /* a part that never finishes */
    mock_flash.busy_reads = 10u * VN_FLASH_ERASE_CYCLES;
    st = mbox(VN_MBOX_CMD_BEGIN, A1.len, 0);
    CHECK_EQ(ERR(st), VN_MBOX_ERR_FLASH, "BEGIN on a stuck flash");
    mock_flash.busy_left = mock_flash.busy_reads = 0;
}

/* COMMIT refuses a bad image and leaves no magic in the slot */
static void commit_bad(void)
{
    static const struct {
        uint32_t off;  /* byte to flip; hdr fields are resealed when reseal */
        int reseal;
        uint32_t want;
    } cases[] = {
        {FW_IMG_HDR_SIZE + 100, 0, FW_IMG_BAD_CRC},
        {FW_IMG_OFF_FW_VERSION, 0, FW_IMG_BAD_HDR_CRC},
        {FW_IMG_OFF_PAYLOAD_SHA + 3, 1, FW_IMG_BAD_HASH},
        {FW_IMG_OFF_DEVICE_ID, 1, FW_IMG_WRONG_DEVICE},
        {FW_IMG_OFF_LOAD_ADDR, 1, FW_IMG_BAD_ADDR}, /* 0x10000 ^ 4: inside IMEM, not its base */
        {FW_IMG_OFF_PAYLOAD_LEN + 1, 1, FW_IMG_TRUNCATED}, /* header claims more than sent */
        {FW_IMG_OFF_MAGIC, 0, FW_IMG_BAD_MAGIC},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mock_flash_blank();
        static struct img bad;
        bad = A1;
        bad.b[cases[i].off] ^= 4;
        if (cases[i].off == FW_IMG_OFF_LOAD_ADDR)
            fw_img_put32(bad.b + FW_IMG_OFF_ENTRY, VN_CORE_IMEM_BASE + 4);
        if (cases[i].reseal)
            fw_image_seal(bad.b);
        uint32_t st = flash_img(&bad);
        CHECK_EQ(ERR(st), VN_MBOX_ERR_IMAGE, "COMMIT of a bad image");
        CHECK_EQ(PROG(st), cases[i].want, "the reason");
        uint32_t magic = mock_flash.w[VN_FLASH_SLOT_A / 4];
        CHECK(magic != FW_IMG_MAGIC, "case %u: slot A has a magic after a refused COMMIT", i);
        CHECK_EQ(ERR(mbox(VN_MBOX_CMD_ACTIVATE, VN_BOOT_SLOT_A, 0)), VN_MBOX_ERR_NO_IMAGE, "activate it");
    }
}

/* ---- power cuts ------------------------------------------------------------------- */
static jmp_buf cut_jmp;
static uint32_t saved[MOCK_FLASH_WORDS];
static uint8_t imem[VN_CORE_IMEM_SIZE];

/* an update of slot 'to' with image im, then ACTIVATE */
static void run_update(const struct img *im, uint32_t to)
{
    uint32_t st = flash_img(im);
    CHECK_EQ(ERR(st), 0, "update");
    CHECK_EQ(PROG(st), to, "update slot");
    CHECK_EQ(ERR(mbox(VN_MBOX_CMD_ACTIVATE, to, 0)), 0, "activate");
}

static const struct img *loaded(const struct fw_boot_choice *c)
{
    const struct img *all[] = {&A1, &B2, &C3, &D4};
    for (unsigned i = 0; i < 4; i++)
        if (c->hdr.payload_len == all[i]->len - FW_IMG_HDR_SIZE &&
            memcmp(imem, all[i]->b + FW_IMG_HDR_SIZE, c->hdr.payload_len) == 0)
            return all[i];
    return NULL;
}

/* From the flash in 'saved', running slot 'run': the update of the other slot with im,
 * cut at every flash operation in turn.  After each cut: the boot selection finds an
 * image, the old one (old) until the activation record is whole, and a new update then
 * succeeds. */
static void cut_everywhere(uint32_t run, const struct img *old, const struct img *im)
{
    uint32_t to = run ^ 1u;
    /* a clean run counts the operations */
    memcpy(mock_flash.w, saved, sizeof saved);
    mock_power_on();
    mock.regs[VN_FW_FW_BOOT_STATUS / 4] = run;
    fw_init();
    mock_flash.ops = 0;
    run_update(im, to);
    unsigned n = mock_flash.ops;
    CHECK(n > 50, "an update takes %u flash operations", n);
    unsigned fell_back = 0;
    for (unsigned k = 0; k < n; k++) {
        memcpy(mock_flash.w, saved, sizeof saved);
        mock_power_on();
        mock.regs[VN_FW_FW_BOOT_STATUS / 4] = run;
        fw_init();
        mock_flash.ops = 0;
        mock_flash.cut_at = (long)k;
        mock_flash.cut_erase_words = (k * 389u) % (VN_FLASH_SECTOR_BYTES / 4 + 1);
        mock_flash.cut_jmp = &cut_jmp;
        if (setjmp(cut_jmp) == 0) {
            run_update(im, to);
            CHECK(0, "operation %u of %u: no cut happened", k, n);
            continue;
        }
        mock_flash.cut_jmp = NULL;
        /* power back: the boot ROM decides */
        mock_power_on();
        struct fw_boot_choice c;
        memset(imem, 0, sizeof imem);
        uint32_t bs = fw_boot_select(&c, imem);
        CHECK(c.slot == VN_BOOT_SLOT_A || c.slot == VN_BOOT_SLOT_B,
              "cut at operation %u of %u: no bootable image (status 0x%x)", k, n, bs);
        const struct img *got = loaded(&c);
        /* up to the record's magic (the last operation) the old record decides */
        CHECK(got == old && c.slot == run, "cut at %u/%u: booted slot %u, not the old image",
              k, n, c.slot);
        fell_back += c.fell_back;
        /* and the update can be done again from there */
        mock_power_on();
        mock.regs[VN_FW_FW_BOOT_STATUS / 4] = c.slot | (c.fell_back ? VN_BOOT_FELL_BACK : 0);
        fw_init();
        run_update(im, to);
        bs = fw_boot_select(&c, imem);
        CHECK(c.slot == to && loaded(&c) == im && !c.fell_back, "cut at %u: retried update boots", k);
    }
    printf("  %u cuts: every one boots the old image (%u by falling back), the retry the new\n",
           n, fell_back);
}

static void power_cuts(void)
{
    /* A1 in A, booted from A; update to B2 */
    mock_flash_blank();
    mock.regs[VN_FW_FW_BOOT_STATUS / 4] = VN_BOOT_SLOT_B; /* so A1 goes to A */
    run_update(&A1, VN_BOOT_SLOT_A);
    memcpy(saved, mock_flash.w, sizeof saved);
    cut_everywhere(VN_BOOT_SLOT_A, &A1, &B2);

    /* B2 in B active (its record in the other sector), booted from B; update A to C3 */
    memcpy(mock_flash.w, saved, sizeof saved);
    mock_power_on();
    mock.regs[VN_FW_FW_BOOT_STATUS / 4] = VN_BOOT_SLOT_A;
    fw_init();
    run_update(&B2, VN_BOOT_SLOT_B);
    memcpy(saved, mock_flash.w, sizeof saved);
    cut_everywhere(VN_BOOT_SLOT_B, &B2, &C3);
}

/* A cut right after ACTIVATE of a slot that is then overwritten by the next update: the
 * record names a slot being erased; the boot ROM falls back to the running one. */
static void cut_after_activate(void)
{
    mock_flash_blank();
    mock.regs[VN_FW_FW_BOOT_STATUS / 4] = VN_BOOT_SLOT_B;
    run_update(&A1, VN_BOOT_SLOT_A);
    mock.regs[VN_FW_FW_BOOT_STATUS / 4] = VN_BOOT_SLOT_A;
    run_update(&B2, VN_BOOT_SLOT_B); /* next boot: B; still running A */
    memcpy(saved, mock_flash.w, sizeof saved);
    unsigned n = 0, n_intact = 0;
    for (unsigned k = 0; k < 400; k += 7, n++) {
        memcpy(mock_flash.w, saved, sizeof saved);
        mock_power_on();
        mock.regs[VN_FW_FW_BOOT_STATUS / 4] = VN_BOOT_SLOT_A;
        fw_init();
        mock_flash.ops = 0;
        mock_flash.cut_at = (long)k;
        mock_flash.cut_erase_words = k % 1025;
        mock_flash.cut_jmp = &cut_jmp;
        if (setjmp(cut_jmp) == 0) {
            (void)flash_img(&D4); /* into B again */
            CHECK(0, "no cut at %u", k);
            continue;
        }
        mock_flash.cut_jmp = NULL;
        mock_power_on();
        struct fw_boot_choice c;
        fw_boot_select(&c, imem);
        bool intact = c.slot == VN_BOOT_SLOT_B && !c.fell_back && loaded(&c) == &B2;
        CHECK(intact || (c.slot == VN_BOOT_SLOT_A && c.fell_back && loaded(&c) == &A1),
              "cut at %u: B half written, A must boot by falling back", k);
        n_intact += intact;
    }
    printf("  %u cuts in a rewrite of the slot to boot next: %u left B whole, the rest fell back to A\n",
           n, n_intact);
}

static void both_bad(void)
{
    mock_flash_blank();
    struct fw_boot_choice c;
    uint32_t bs = fw_boot_select(&c, imem);
    CHECK_EQ(bs & 3u, VN_BOOT_SLOT_NONE, "blank flash: none");
    CHECK_EQ(bs >> 8, FW_IMG_BAD_MAGIC, "the preferred slot's error");
}

int main(void)
{
    make_img(&A1, 5000, 1);   /* two sectors */
    make_img(&B2, 1023, 2);   /* odd length: a partial last word */
    make_img(&C3, 4096, 3);
    make_img(&D4, 7000, 4);
    t_run("info_blank", info_blank);
    t_run("update_host_mode", update_host_mode);
    t_run("core_mode_slots", core_mode_slots);
    t_run("reboot_host_mode", reboot_host_mode);
    t_run("errors", errors);
    t_run("commit_bad", commit_bad);
    t_run("power_cuts", power_cuts);
    t_run("cut_after_activate", cut_after_activate);
    t_run("both_bad", both_bad);
    return t_summary();
}
