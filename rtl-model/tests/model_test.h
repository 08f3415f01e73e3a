/* Helpers shared by the vn_model tests: checks, a fake host memory with an MSI window,
 * and short names for BAR0/config/firmware accesses that fail the test on error. */
#ifndef MODEL_TEST_H
#define MODEL_TEST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_model.h"

static int t_failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            t_failures++;                                                            \
        }                                                                            \
    } while (0)

#define CHECK_EQ(a, b)                                                                    \
    do {                                                                                  \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);    \
        if (a_ != b_) {                                                                   \
            fprintf(stderr, "%s:%d: %s == %s failed: 0x%llx != 0x%llx\n", __FILE__, __LINE__, \
                    #a, #b, a_, b_);                                                      \
            t_failures++;                                                                 \
        }                                                                                 \
    } while (0)

static inline int t_finish(const char *name)
{
    if (t_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, t_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

/* ---- fake host memory: one mapped window, plus the MSI window the sim uses ---------- */
#define T_MEM_BASE 0x10000000ull
#define T_MEM_SIZE 0x10000u
#define T_MSI_MAX 64

struct t_host {
    uint8_t mem[T_MEM_SIZE];
    unsigned nmsi;
    uint64_t msi_addr[T_MSI_MAX];
    uint32_t msi_data[T_MSI_MAX];
    uint64_t msi_cycle[T_MSI_MAX];
    vn_model *m;
};

static inline int t_dma_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
    struct t_host *h = ctx;
    if (addr < T_MEM_BASE || addr - T_MEM_BASE > T_MEM_SIZE || len > T_MEM_SIZE - (addr - T_MEM_BASE))
        return -EFAULT;
    memcpy(buf, h->mem + (addr - T_MEM_BASE), len);
    return 0;
}

static inline int t_dma_write(void *ctx, uint64_t addr, const void *buf, uint32_t len)
{
    struct t_host *h = ctx;
    if (addr >= VN_DMA_MSI_BASE && addr < VN_DMA_MSI_BASE + 0x1000u && len == 4) {
        if (h->nmsi < T_MSI_MAX) {
            memcpy(&h->msi_data[h->nmsi], buf, 4);
            h->msi_addr[h->nmsi] = addr;
            h->msi_cycle[h->nmsi] = vn_model_cycles(h->m);
            h->nmsi++;
        }
        return 0;
    }
    if (addr < T_MEM_BASE || addr - T_MEM_BASE > T_MEM_SIZE || len > T_MEM_SIZE - (addr - T_MEM_BASE))
        return -EFAULT;
    memcpy(h->mem + (addr - T_MEM_BASE), buf, len);
    return 0;
}

static inline vn_model *t_new(struct t_host *h)
{
    struct vn_model_cfg cfg = { .dma_latency = 100, .dma_max_reads = 0, .fst_path = getenv("VN_TEST_FST") };
    vn_model *m = vn_model_new(&cfg);
    if (!m) {
        perror("vn_model_new");
        exit(1);
    }
    if (h) {
        memset(h, 0, sizeof(*h));
        h->m = m;
        struct vn_model_host host = { .ctx = h, .dma_read = t_dma_read, .dma_write = t_dma_write };
        vn_model_set_host(m, &host);
    }
    return m;
}

static inline uint32_t cfg_rd(vn_model *m, uint32_t off, unsigned size)
{
    uint32_t v = 0;
    int rc = vn_model_cfg_read(m, off, size, &v);
    if (rc) {
        fprintf(stderr, "cfg read 0x%x/%u: %d\n", off, size, rc);
        t_failures++;
    }
    return v;
}

static inline void cfg_wr(vn_model *m, uint32_t off, unsigned size, uint32_t v)
{
    int rc = vn_model_cfg_write(m, off, size, v);
    if (rc) {
        fprintf(stderr, "cfg write 0x%x/%u: %d\n", off, size, rc);
        t_failures++;
    }
}

static inline uint32_t bar_rd(vn_model *m, uint32_t off, unsigned size)
{
    uint32_t v = 0;
    int rc = vn_model_bar_read(m, 0, off, size, &v);
    if (rc) {
        fprintf(stderr, "bar read 0x%x/%u: %d\n", off, size, rc);
        t_failures++;
    }
    return v;
}

static inline void bar_wr(vn_model *m, uint32_t off, unsigned size, uint32_t v)
{
    int rc = vn_model_bar_write(m, 0, off, size, v);
    if (rc) {
        fprintf(stderr, "bar write 0x%x/%u: %d\n", off, size, rc);
        t_failures++;
    }
}

static inline uint32_t fw_rd(vn_model *m, uint32_t addr) { return vn_model_fw_read(m, addr); }
static inline void fw_wr(vn_model *m, uint32_t addr, uint32_t v) { vn_model_fw_write(m, addr, v); }

/* COMMAND: memory space (and bus master when asked) */
static inline void t_enable(vn_model *m, int master)
{
    cfg_wr(m, VN_CFG_COMMAND, 2, VN_PCI_CMD_MEM | (master ? VN_PCI_CMD_MASTER : 0));
}

#endif
