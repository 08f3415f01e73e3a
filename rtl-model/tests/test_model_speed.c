/* Speed of an idle model (printed, not asserted: it depends on the machine), plus the
 * basic stepping contract: step(n) advances exactly n cycles when no firmware runs. */
#define _POSIX_C_SOURCE 199309L
#include <time.h>

#include "model_test.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int idle_poll(void *ctx)
{
    (void)ctx;
    return 0;
}

int main(void)
{
    struct vn_model_cfg cfg = { 0 };
    vn_model *m = vn_model_new(&cfg);
    if (!m) {
        perror("vn_model_new");
        return 1;
    }
    CHECK_EQ(vn_model_cycles(m), 0);
    vn_model_step(m, 1000);
    CHECK_EQ(vn_model_cycles(m), 1000);
    /* the firmware cycle counter runs with the model clock */
    uint32_t c0 = vn_model_fw_read(m, VN_FW_FW_CYCLE_LO);
    vn_model_step(m, 100);
    uint32_t c1 = vn_model_fw_read(m, VN_FW_FW_CYCLE_LO);
    CHECK_EQ(c1 - c0, 101);

    const uint64_t n = 1000000;
    double t0 = now();
    vn_model_step(m, n);
    double t1 = now();
    printf("idle model: %.2f M cycles/s (%.0f ns/cycle)\n", (double)n / (t1 - t0) / 1e6,
           (t1 - t0) / (double)n * 1e9);

    /* with a firmware attached that has nothing to do (it is not polled while idle) */
    struct vn_model_fw fw = { .ctx = NULL, .poll = idle_poll };
    vn_model_set_fw(m, &fw);
    t0 = now();
    vn_model_step(m, n);
    t1 = now();
    printf("idle model with firmware attached: %.2f M cycles/s\n", (double)n / (t1 - t0) / 1e6);

    struct vn_model_stats st;
    vn_model_get_stats(m, &st);
    CHECK_EQ(st.cycles, vn_model_cycles(m));
    CHECK_EQ(st.dma_reads + st.dma_writes + st.mac_tx_frames, 0);
    vn_model_free(m);
    return t_finish("test_model_speed");
}
