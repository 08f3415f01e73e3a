/* test_core_sim: the sim transport's core mode.  Bad requests fail with a clear error
 * before anything runs; a good one boots the packaged image (boot status published, the
 * firmware's version and reset shadows visible to the driver); and the cost of one
 * control event (a device_status write until the driver's read-back returns, which waits
 * for the firmware to pop the event) is measured in both modes.
 * Usage: test_core_sim NOT_AN_IMAGE_FILE */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_model.h"
#include "vn_transport.h"

static int failures;
#define CHECK(c)                                                                              \
    do {                                                                                      \
        if (!(c)) {                                                                           \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c);             \
            failures++;                                                                       \
        }                                                                                     \
    } while (0)

static uint32_t bar_rd(struct vn_tr *tr, uint32_t off, unsigned size)
{
    uint32_t v = 0xdeadbeef;
    CHECK(vn_tr_bar_read(tr, 0, off, size, &v) == 0);
    return v;
}

static int open_mode(const char *fw, const char *img, struct vn_tr **tr)
{
    struct vn_tr_sim_opts so = {.firmware = fw, .image_path = img};
    return vn_tr_sim_open(&so, tr);
}

/* Cycles per control event: the mean over n status writes, alternately ACKNOWLEDGE
 * (out[0]) and 0, a device reset (out[1]). */
static void event_cycles(struct vn_tr *tr, unsigned n, double out[2])
{
    struct vn_model *m = vn_tr_sim_model(tr);
    uint64_t total[2] = {0, 0};
    for (unsigned i = 0; i < 2 * n; i++) {
        uint8_t st = i % 2 ? 0 : VN_STATUS_ACKNOWLEDGE;
        uint64_t t0 = vn_model_cycles(m);
        CHECK(vn_tr_bar_write(tr, 0, VN_COMMON_BASE + VN_COMMON_DEVICE_STATUS, 1, st) == 0);
        uint32_t back = bar_rd(tr, VN_COMMON_BASE + VN_COMMON_DEVICE_STATUS, 1);
        total[i % 2] += vn_model_cycles(m) - t0;
        if (back != st) {
            fprintf(stderr, "status write %u read back %u\n", st, back);
            failures++;
            return;
        }
    }
    out[0] = (double)total[0] / n;
    out[1] = (double)total[1] / n;
}

int main(int argc, char **argv)
{
    struct vn_tr *tr = NULL;
    if (argc != 2 || !strcmp(argv[1], "--help")) {
        fprintf(argc == 2 ? stdout : stderr, "usage: test_core_sim NOT_AN_IMAGE_FILE\n");
        return argc == 2 ? 0 : 2;
    }

    /* requests refused before anything runs */
    CHECK(open_mode("gpu", NULL, &tr) == -EINVAL && !tr);
    CHECK(open_mode("core", "/nonexistent/vionic-fw.img", &tr) == -ENOENT && !tr);
    CHECK(open_mode("core", argv[1], &tr) == -EINVAL && !tr);
    struct vn_tr_sim_opts bad_rom = {.firmware = "core", .rom_path = "/nonexistent/boot.bin"};
    CHECK(vn_tr_sim_open(&bad_rom, &tr) == -ENOENT && !tr);

    double per_event[2][2] = {{0, 0}, {0, 0}};
    for (int core = 0; core < 2; core++) {
        int rc = open_mode(core ? "core" : "host", NULL, &tr);
        CHECK(rc == 0);
        if (rc)
            continue;
        struct vn_model *m = vn_tr_sim_model(tr);
        CHECK(vn_tr_cfg_write(tr, VN_CFG_COMMAND, 2, VN_PCI_CMD_MEM | VN_PCI_CMD_MASTER) == 0);
        uint32_t bs = bar_rd(tr, VN_VENDOR_BASE + VN_VENDOR_VND_BOOT_STATUS, 4) & 3;
        CHECK(bs == (core ? VN_BOOT_SLOT_A : VN_BOOT_SLOT_HOST));
        CHECK(bar_rd(tr, VN_VENDOR_BASE + VN_VENDOR_VND_FW_VERSION, 4) != 0);
        CHECK(bar_rd(tr, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 4) == VN_FW_ID_MAGIC);
        CHECK(bar_rd(tr, VN_COMMON_BASE + VN_COMMON_DEVICE_STATUS, 1) == 0);
        CHECK(bar_rd(tr, VN_COMMON_BASE + VN_COMMON_QUEUE_SIZE, 2) == VN_MAX_QUEUE_SIZE);
        event_cycles(tr, 100, per_event[core]);
        struct vn_model_stats st;
        vn_model_get_stats(m, &st);
        if (core) {
            CHECK(st.core_instret > 0);
            CHECK(st.core_pc >= VN_CORE_IMEM_BASE && st.core_pc < VN_CORE_IMEM_BASE + VN_CORE_IMEM_SIZE);
            /* the image is in flash slot A as well */
            uint8_t magic[4];
            CHECK(vn_model_flash_read(m, VN_FLASH_SLOT_A, magic, 4) == 0);
            CHECK(magic[0] == 'V' && magic[1] == 'N' && magic[2] == 'F' && magic[3] == 'W');
            printf("core: %llu instructions retired in %llu cycles\n",
                   (unsigned long long)st.core_instret, (unsigned long long)st.cycles);
        }
        vn_tr_close(tr);
        tr = NULL;
    }
    printf("cycles per control event (driver's status write until its read-back, which waits "
           "for the firmware's pop):\n  ACKNOWLEDGE: host %.1f, core %.1f\n"
           "  reset (0):   host %.1f, core %.1f\n",
           per_event[0][0], per_event[1][0], per_event[0][1], per_event[1][1]);
    CHECK(per_event[0][0] > 0 && per_event[1][0] > per_event[0][0]);
    CHECK(per_event[0][1] > 0 && per_event[1][1] > per_event[0][1]);
    if (failures) {
        fprintf(stderr, "test_core_sim: %d check(s) failed\n", failures);
        return 1;
    }
    printf("test_core_sim: PASS\n");
    return 0;
}
