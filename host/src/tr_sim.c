/* The sim transport: a vn_model and the host-mode firmware in this process.  Host memory
 * is a table of regions at IOVAs that are deliberately not their addresses, so a device
 * or driver that confuses the two faults instead of working by accident. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma_store.h"
#include "fw.h"
#include "fw_image.h"
#include "hal_model.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_model.h"
#include "vn_transport.h"

#define SIM_IOVA_BASE UINT64_C(0x100000000)
#define SIM_PAGE 4096u
/* One unmapped page after every region: an overrun faults instead of hitting a neighbour. */
#define SIM_GUARD SIM_PAGE
/* irq_wait steps the model this many cycles between looks at the pending mask. */
#define SIM_IRQ_CHUNK 64u
#define SIM_MAX_VECTORS 64u
#define NS_PER_S 1000000000u

struct sim_region {
    uint64_t iova;
    size_t len;
    void *va;
    int mapped; /* dma_map: the caller's memory, not ours to free */
};

struct sim_tr {
    struct vn_tr tr;
    vn_model *m;
    struct sim_region *reg;
    size_t nreg, capreg;
    size_t last_hit;
    uint64_t iova_base, next_iova;
    uint64_t pending; /* MSI-X vectors that fired, bit v */
    unsigned nvec;
    uint64_t dma_faults, bad_msi;
    vn_tr_sim_dma_hook hook;
    void *hook_ctx;
    /* Kept here, not on the stack: the model may hold on to the pointers. */
    struct vn_model_host host;
    struct vn_model_fw fw;
};

/* The firmware keeps global state and the HAL one bound model: one sim at a time. */
static struct sim_tr *sim_active;

static struct sim_tr *to_sim(struct vn_tr *tr)
{
    return (struct sim_tr *)((char *)tr - offsetof(struct sim_tr, tr));
}

static uint64_t ns_to_cycles(uint64_t ns)
{
    return ns / (NS_PER_S / VN_MODEL_CLOCK_HZ);
}

/* ---- host memory as the device sees it ---------------------------------------------- */

static struct sim_region *find_region(struct sim_tr *s, uint64_t addr, uint32_t len)
{
    if (s->last_hit < s->nreg) {
        struct sim_region *r = &s->reg[s->last_hit];
        if (addr >= r->iova && addr - r->iova <= r->len && len <= r->len - (addr - r->iova))
            return r;
    }
    for (size_t i = 0; i < s->nreg; i++) {
        struct sim_region *r = &s->reg[i];
        if (addr >= r->iova && addr - r->iova <= r->len && len <= r->len - (addr - r->iova)) {
            s->last_hit = i;
            return r;
        }
    }
    return NULL;
}

static int sim_dma_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
    struct sim_tr *s = ctx;
    if (s->hook)
        s->hook(s->hook_ctx, vn_model_cycles(s->m), 0, addr, len);
    struct sim_region *r = find_region(s, addr, len);

    if (!r) {
        s->dma_faults++;
        vn_log(VN_LOG_DEBUG, "sim: DMA read fault at 0x%llx len %u", (unsigned long long)addr, len);
        return -EFAULT;
    }
    /* Reading a byte twice is harmless (unlike writing it twice: see dma_store.h). */
    memcpy(buf, (char *)r->va + (addr - r->iova), len);
    return 0;
}

static int sim_dma_write(void *ctx, uint64_t addr, const void *buf, uint32_t len)
{
    struct sim_tr *s = ctx;

    if (s->hook)
        s->hook(s->hook_ctx, vn_model_cycles(s->m), 1, addr, len);
    if (addr >= VN_DMA_MSI_BASE && addr < VN_DMA_MSI_BASE + 4u * SIM_MAX_VECTORS) {
        uint64_t v = (addr - VN_DMA_MSI_BASE) / 4;
        uint32_t data = 0;
        if (len == 4)
            memcpy(&data, buf, 4);
        /* The table holds data v for vector v: anything else is a device bug. */
        if (len != 4 || addr % 4 || data != v || v >= s->nvec) {
            s->bad_msi++;
            vn_log(VN_LOG_WARN, "sim: malformed MSI-X write at 0x%llx len %u data 0x%x",
                   (unsigned long long)addr, len, data);
            return 0;
        }
        s->pending |= UINT64_C(1) << v;
        return 0;
    }
    struct sim_region *r = find_region(s, addr, len);
    if (!r) {
        s->dma_faults++;
        vn_log(VN_LOG_DEBUG, "sim: DMA write fault at 0x%llx len %u", (unsigned long long)addr,
               len);
        return -EFAULT;
    }
    vn_dma_store((char *)r->va + (addr - r->iova), buf, len);
    return 0;
}

static int sim_dma_alloc(struct vn_tr *tr, size_t len, struct vn_dma *out)
{
    struct sim_tr *s = to_sim(tr);

    if (len == 0 || len > SIZE_MAX - SIM_PAGE)
        return -EINVAL;
    size_t alen = (len + SIM_PAGE - 1) & ~(size_t)(SIM_PAGE - 1);
    if (s->nreg == s->capreg) {
        size_t ncap = s->capreg ? 2 * s->capreg : 16;
        struct sim_region *nr = realloc(s->reg, ncap * sizeof *nr);
        if (!nr)
            return -ENOMEM;
        s->reg = nr;
        s->capreg = ncap;
    }
    void *va = aligned_alloc(SIM_PAGE, alen);
    if (!va)
        return -ENOMEM;
    memset(va, 0, alen);
    /* IOVAs only grow: a freed range stays unmapped, so late DMA to it faults. */
    s->reg[s->nreg++] = (struct sim_region){s->next_iova, alen, va, 0};
    *out = (struct vn_dma){va, s->next_iova, len};
    s->next_iova += alen + SIM_GUARD;
    return 0;
}

static void sim_dma_free(struct vn_tr *tr, struct vn_dma *dma)
{
    struct sim_tr *s = to_sim(tr);

    for (size_t i = 0; i < s->nreg; i++) {
        if (s->reg[i].va == dma->va && !s->reg[i].mapped) {
            free(s->reg[i].va);
            s->reg[i] = s->reg[--s->nreg];
            s->last_hit = 0;
            dma->va = NULL;
            return;
        }
    }
    vn_log(VN_LOG_WARN, "sim: dma_free of an unknown buffer");
}

static int sim_dma_map(struct vn_tr *tr, void *va, uint64_t iova, size_t len)
{
    struct sim_tr *s = to_sim(tr);

    if (len == 0 || !va || iova > UINT64_MAX - len)
        return -EINVAL;
    for (size_t i = 0; i < s->nreg; i++) {
        const struct sim_region *r = &s->reg[i];
        if (iova < r->iova + r->len + SIM_GUARD && r->iova < iova + len)
            return -EEXIST;
    }
    if (iova < s->next_iova && iova + len > s->iova_base)
        return -EEXIST; /* the allocator's range, freed parts included */
    if (s->nreg == s->capreg) {
        size_t ncap = s->capreg ? 2 * s->capreg : 16;
        struct sim_region *nr = realloc(s->reg, ncap * sizeof *nr);
        if (!nr)
            return -ENOMEM;
        s->reg = nr;
        s->capreg = ncap;
    }
    s->reg[s->nreg++] = (struct sim_region){iova, len, va, 1};
    return 0;
}

static int sim_dma_unmap(struct vn_tr *tr, uint64_t iova, size_t len)
{
    struct sim_tr *s = to_sim(tr);

    for (size_t i = 0; i < s->nreg; i++) {
        if (s->reg[i].mapped && s->reg[i].iova == iova && s->reg[i].len == len) {
            s->reg[i] = s->reg[--s->nreg];
            s->last_hit = 0;
            return 0;
        }
    }
    return -ENOENT;
}

/* ---- PCI target ----------------------------------------------------------------------- */

static int sim_cfg_read(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t *v)
{
    return vn_model_cfg_read(to_sim(tr)->m, off, size, v);
}

static int sim_cfg_write(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t v)
{
    return vn_model_cfg_write(to_sim(tr)->m, off, size, v);
}

static int sim_bar_read(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t *v)
{
    if (off > UINT32_MAX)
        return -EINVAL;
    return vn_model_bar_read(to_sim(tr)->m, bar, (uint32_t)off, size, v);
}

static int sim_bar_write(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t v)
{
    if (off > UINT32_MAX)
        return -EINVAL;
    return vn_model_bar_write(to_sim(tr)->m, bar, (uint32_t)off, size, v);
}

/* ---- interrupts ------------------------------------------------------------------------ */

static int find_msix_cap(struct sim_tr *s, uint32_t *pos)
{
    uint32_t ptr, id, next;
    int rc;

    if ((rc = vn_model_cfg_read(s->m, VN_CFG_CAP_PTR, VN_CFG_CAP_PTR_SIZE, &ptr)))
        return rc;
    for (unsigned n = 0; ptr && n < VN_CFG_SIZE / 4; n++) {
        if (ptr % 4 || ptr > VN_CFG_SIZE - 4)
            return -EINVAL;
        if ((rc = vn_model_cfg_read(s->m, ptr + VN_VCAP_VNDR, 1, &id)) ||
            (rc = vn_model_cfg_read(s->m, ptr + VN_VCAP_NEXT, 1, &next)))
            return rc;
        if (id == VN_PCI_CAP_ID_MSIX) {
            *pos = ptr;
            return 0;
        }
        ptr = next;
    }
    return -ENODEV;
}

static int sim_irq_setup(struct vn_tr *tr, unsigned nvec)
{
    struct sim_tr *s = to_sim(tr);
    uint32_t cap, ctrl, table;
    int rc;

    if (nvec == 0 || nvec > SIM_MAX_VECTORS)
        return -EINVAL;
    if ((rc = find_msix_cap(s, &cap))) {
        vn_log(VN_LOG_ERR, "sim: no MSI-X capability: %d", rc);
        return rc;
    }
    if ((rc = vn_model_cfg_read(s->m, cap + VN_MSIX_CAP_CTRL, 2, &ctrl)) ||
        (rc = vn_model_cfg_read(s->m, cap + VN_MSIX_CAP_TABLE, 4, &table)))
        return rc;
    unsigned entries = (ctrl & VN_MSIX_CTRL_TSIZE_MASK) + 1;
    if (nvec > entries) {
        vn_log(VN_LOG_ERR, "sim: %u MSI-X vectors asked, table has %u", nvec, entries);
        return -ENOSPC;
    }
    unsigned bir = table & VN_MSIX_BIR_MASK;
    uint32_t toff = table & ~(uint32_t)VN_MSIX_BIR_MASK;
    /* Mask the function while the table is rewritten, as an OS does. */
    if ((rc = vn_model_cfg_write(s->m, cap + VN_MSIX_CAP_CTRL, 2,
                                 (ctrl | VN_MSIX_CTRL_MASKALL) & ~VN_MSIX_CTRL_ENABLE)))
        return rc;
    for (unsigned v = 0; v < entries; v++) {
        uint32_t e = toff + v * VN_MSIX_ENTRY_SIZE;
        uint64_t addr = VN_DMA_MSI_BASE + 4u * v;
        if ((rc = vn_model_bar_write(s->m, bir, e + VN_MSIX_ENT_ADDR_LO, 4, (uint32_t)addr)) ||
            (rc = vn_model_bar_write(s->m, bir, e + VN_MSIX_ENT_ADDR_HI, 4,
                                     (uint32_t)(addr >> 32))) ||
            (rc = vn_model_bar_write(s->m, bir, e + VN_MSIX_ENT_DATA, 4, v)) ||
            (rc = vn_model_bar_write(s->m, bir, e + VN_MSIX_ENT_CTRL, 4,
                                     v < nvec ? 0 : VN_MSIX_ENT_CTRL_MASK)))
            return rc;
    }
    s->nvec = nvec;
    s->pending = 0;
    return vn_model_cfg_write(s->m, cap + VN_MSIX_CAP_CTRL, 2,
                              (ctrl | VN_MSIX_CTRL_ENABLE) & ~VN_MSIX_CTRL_MASKALL);
}

static int sim_irq_wait(struct vn_tr *tr, uint64_t timeout_ns, uint64_t *fired)
{
    struct sim_tr *s = to_sim(tr);
    uint64_t left = ns_to_cycles(timeout_ns);

    while (!s->pending && left) {
        uint64_t step = left < SIM_IRQ_CHUNK ? left : SIM_IRQ_CHUNK;
        vn_model_step(s->m, step);
        left -= step;
    }
    *fired = s->pending;
    s->pending = 0;
    return 0;
}

static void sim_delay(struct vn_tr *tr, uint64_t ns)
{
    uint64_t c = ns_to_cycles(ns);
    vn_model_step(to_sim(tr)->m, c ? c : 1);
}

static void sim_close(struct vn_tr *tr)
{
    struct sim_tr *s = to_sim(tr);

    vn_model_free(s->m);
    hal_model_bind(NULL); /* the firmware must not reach a freed model */
    for (size_t i = 0; i < s->nreg; i++)
        if (!s->reg[i].mapped)
            free(s->reg[i].va);
    free(s->reg);
    if (sim_active == s)
        sim_active = NULL;
    free(s);
}

static const struct vn_tr_ops sim_ops = {
    .name = "sim",
    .cfg_read = sim_cfg_read,
    .cfg_write = sim_cfg_write,
    .bar_read = sim_bar_read,
    .bar_write = sim_bar_write,
    .dma_alloc = sim_dma_alloc,
    .dma_free = sim_dma_free,
    .dma_map = sim_dma_map,
    .dma_unmap = sim_dma_unmap,
    .irq_setup = sim_irq_setup,
    .irq_wait = sim_irq_wait,
    .delay = sim_delay,
    .close = sim_close,
};

static int fw_poll_cb(void *ctx)
{
    (void)ctx;
    return fw_poll();
}

/* ---- core mode: the cross-built image on the embedded core ------------------------------ */

/* Default files of the build tree (sim/CMakeLists.txt defines them when it knows them). */
#ifndef VIONIC_BOOT_ROM_DEFAULT
#define VIONIC_BOOT_ROM_DEFAULT NULL
#endif
#ifndef VIONIC_FW_IMG_DEFAULT
#define VIONIC_FW_IMG_DEFAULT NULL
#endif
/* Boot ROM and a check of an image in flash (SHA-256 in software) take well under this. */
#define SIM_BOOT_TIMEOUT UINT64_C(50000000)

/* Reads a whole file of at most max bytes.  0, -ENOENT/-EACCES..., or -EFBIG. */
static int read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    uint8_t *buf = malloc(max + 1);
    if (!buf) {
        fclose(f);
        return -ENOMEM;
    }
    size_t n = fread(buf, 1, max + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n > max) {
        free(buf);
        return bad ? -EIO : -EFBIG;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* RV32I encodings for the stand-in boot ROM */
static uint32_t rv_hi(uint32_t v)
{
    return (v + 0x800u) & 0xfffff000u; /* lui part when the low 12 bits are sign extended */
}
static uint32_t rv_lo(uint32_t v)
{
    return (v - rv_hi(v)) & 0xfffu;
}
static uint32_t rv_lui(unsigned rd, uint32_t v)
{
    return rv_hi(v) | rd << 7 | 0x37u;
}
static uint32_t rv_addi(unsigned rd, unsigned rs1, uint32_t imm12)
{
    return imm12 << 20 | rs1 << 15 | rd << 7 | 0x13u;
}
static uint32_t rv_sw(unsigned rs2, unsigned rs1, uint32_t imm12)
{
    return (imm12 >> 5) << 25 | rs2 << 20 | rs1 << 15 | 2u << 12 | (imm12 & 0x1fu) << 7 | 0x23u;
}
static uint32_t rv_jalr(unsigned rd, unsigned rs1, uint32_t imm12)
{
    return imm12 << 20 | rs1 << 15 | rd << 7 | 0x67u;
}

/* Until the real boot ROM exists: publish "slot A" and jump to the image's entry, which
 * the transport has loaded into IMEM itself. */
static void tiny_rom(uint32_t entry, uint32_t rom[6])
{
    const unsigned t0 = 5, t1 = 6;
    uint32_t bs = VN_CORE_CSR_BASE + VN_FW_FW_BOOT_STATUS;
    rom[0] = rv_lui(t0, bs);
    rom[1] = rv_addi(t1, 0, VN_BOOT_SLOT_A);
    rom[2] = rv_sw(t1, t0, rv_lo(bs));
    rom[3] = rv_lui(t0, entry);
    rom[4] = rv_jalr(0, t0, rv_lo(entry));
    rom[5] = rv_jalr(0, 0, 0); /* not reached */
}

static int file_exists(const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f)
        fclose(f);
    return f != NULL;
}

/* The image goes to flash slot A; the boot ROM (or, without one, this function) puts it
 * in IMEM; then the core starts over in the ROM and we wait for the firmware's first look
 * at the event FIFO, so the driver never meets a device whose shadows are not set up. */
static int sim_boot_core(struct sim_tr *s, const struct vn_tr_sim_opts *o)
{
    const char *img_path = o->image_path ? o->image_path : VIONIC_FW_IMG_DEFAULT;
    const char *rom_path = o->rom_path ? o->rom_path : VIONIC_BOOT_ROM_DEFAULT;
    uint8_t *img = NULL, *rom = NULL;
    size_t img_len = 0, rom_len = 0;
    int rc;

    if (!img_path) {
        vn_log(VN_LOG_ERR, "sim: --firmware core needs a firmware image; this build made none "
                           "(no riscv64-unknown-elf-gcc): pass one");
        return -ENOENT;
    }
    if ((rc = read_file(img_path, VN_FLASH_SLOT_BYTES, &img, &img_len))) {
        vn_log(VN_LOG_ERR, "sim: cannot read firmware image %s: %s", img_path,
               rc == -EFBIG ? "larger than a flash slot" : strerror(-rc));
        return rc;
    }
    struct fw_image_hdr h;
    if (img_len >= FW_IMG_HDR_SIZE)
        fw_image_hdr_decode(img, &h);
    if (img_len < FW_IMG_HDR_SIZE || h.magic != FW_IMG_MAGIC || h.hdr_size < FW_IMG_HDR_SIZE ||
        h.hdr_size > img_len || h.payload_len > img_len - h.hdr_size ||
        h.load_addr < VN_CORE_IMEM_BASE || h.load_addr % 4 ||
        h.payload_len > VN_CORE_IMEM_SIZE - (h.load_addr - VN_CORE_IMEM_BASE)) {
        vn_log(VN_LOG_ERR, "sim: %s is not a firmware image for the core (see vionic-fwimage verify)",
               img_path);
        free(img);
        return -EINVAL;
    }
    int have_rom = o->rom_path || file_exists(rom_path);
    if (have_rom && (rc = read_file(rom_path, VN_CORE_ROM_SIZE, &rom, &rom_len))) {
        vn_log(VN_LOG_ERR, "sim: cannot read boot ROM %s: %s", rom_path,
               rc == -EFBIG ? "larger than the ROM" : strerror(-rc));
        free(img);
        return rc;
    }
    rc = vn_model_flash_write(s->m, VN_FLASH_SLOT_A, img, img_len);
    if (!rc && have_rom) {
        rc = vn_model_load_rom(s->m, rom, rom_len);
    } else if (!rc) {
        uint32_t tiny[6];
        tiny_rom(h.entry, tiny);
        rc = vn_model_load_rom(s->m, tiny, sizeof tiny);
        if (!rc)
            rc = vn_model_load_imem(s->m, h.load_addr - VN_CORE_IMEM_BASE, img + h.hdr_size,
                                    h.payload_len);
    }
    free(img);
    free(rom);
    if (rc) {
        vn_log(VN_LOG_ERR, "sim: loading the core's memories failed: %d", rc);
        return rc;
    }
    vn_model_core_reset(s->m);
    uint64_t t0 = vn_model_cycles(s->m);
    while (!vn_model_fw_ready(s->m) && vn_model_cycles(s->m) - t0 < SIM_BOOT_TIMEOUT)
        vn_model_step(s->m, 256);
    if (!vn_model_fw_ready(s->m)) {
        struct vn_model_stats st;
        uint32_t bs = 0;
        vn_model_get_stats(s->m, &st);
        (void)vn_model_bar_read(s->m, 0, VN_VENDOR_BASE + VN_VENDOR_VND_BOOT_STATUS, 4, &bs);
        vn_log(VN_LOG_ERR, "sim: the core's firmware did not start within %llu cycles "
                           "(boot status 0x%x, pc 0x%08x)",
               (unsigned long long)SIM_BOOT_TIMEOUT, bs, st.core_pc);
        return -ETIMEDOUT;
    }
    return 0;
}

int vn_tr_sim_open(const struct vn_tr_sim_opts *opts, struct vn_tr **out)
{
    struct vn_model_cfg cfg = {0};
    struct sim_tr *s;
    int core = 0;

    *out = NULL;
    if (opts && opts->firmware && strcmp(opts->firmware, "host") != 0) {
        if (strcmp(opts->firmware, "core") != 0) {
            vn_log(VN_LOG_ERR, "sim: firmware '%s': expected host or core", opts->firmware);
            return -EINVAL;
        }
        core = 1;
    }
    if (sim_active) {
        vn_log(VN_LOG_ERR, "sim: a sim transport is already open (firmware state is global)");
        return -EBUSY;
    }
    s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->tr.ops = &sim_ops;
    s->next_iova = s->iova_base = SIM_IOVA_BASE;
    if (opts) {
        if (opts->iova_base)
            s->next_iova = opts->iova_base & ~(uint64_t)(SIM_PAGE - 1);
        s->iova_base = s->next_iova;
        cfg.dma_latency = opts->dma_latency;
        cfg.dma_max_reads = opts->dma_max_reads;
        cfg.fst_path = opts->fst_path;
    }
    cfg.firmware_core = core;
    s->m = vn_model_new(&cfg);
    if (!s->m) {
        int rc = errno ? -errno : -ENOMEM;
        vn_log(VN_LOG_ERR, "sim: vn_model_new failed: %d", rc);
        free(s);
        return rc;
    }
    s->host = (struct vn_model_host){s, sim_dma_read, sim_dma_write};
    vn_model_set_host(s->m, &s->host);
    if (core) {
        int rc = sim_boot_core(s, opts);
        if (rc) {
            vn_model_free(s->m);
            free(s);
            return rc;
        }
    } else {
        hal_model_bind(s->m);
        fw_init();
        s->fw = (struct vn_model_fw){s, fw_poll_cb};
        vn_model_set_fw(s->m, &s->fw);
    }
    sim_active = s;
    *out = &s->tr;
    return 0;
}

void vn_tr_sim_set_dma_hook(struct vn_tr *tr, vn_tr_sim_dma_hook fn, void *ctx)
{
    if (!tr || tr->ops != &sim_ops)
        return;
    to_sim(tr)->hook = fn;
    to_sim(tr)->hook_ctx = ctx;
}

struct vn_model *vn_tr_sim_model(struct vn_tr *tr)
{
    return (tr && tr->ops == &sim_ops) ? to_sim(tr)->m : NULL;
}
