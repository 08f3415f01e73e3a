/* Replay of a real driver's register trace against the model (vionic-sim --replay). */
#ifndef VN_REPLAY_H
#define VN_REPLAY_H

#include <stdint.h>

struct vn_replay_opts {
    uint32_t dma_latency;
    const char *fst_path;
    const char *firmware; /* NULL/"host" or "core" (vn_tr_sim_opts) */
    int progress;
};

struct vn_replay_result {
    int pass;
    char error[320];
    uint64_t ops, violations, differences, skipped, polls, queue_resets, dma_accesses,
        msi_writes, cycles;
};

/* Returns 0 when the trace could be replayed to its end (res->pass says whether the device
 * kept the protocol), or -errno when it could not be (res->error says why). */
int vn_replay_run(const char *path, const struct vn_replay_opts *o, struct vn_replay_result *res);

#endif
