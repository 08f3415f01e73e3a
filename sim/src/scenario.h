/* Named scenarios: every test and benchmark of the simulator is one of these. */
#ifndef VN_SCENARIO_H
#define VN_SCENARIO_H

#include <stdint.h>

struct scen_opts {
    const char *name;
    uint64_t seed;
    unsigned queues;
    uint64_t packets;
    unsigned ring_size;
    uint32_t dma_latency;
    unsigned frame_len; /* 0: mixed sizes */
    const char *fst_path, *pcap_path;
    const char *firmware; /* NULL/"host" or "core" (vn_tr_sim_opts) */
    int64_t corrupt_frame;
    uint64_t resets; /* queue-reset-random: operations to do (0: 1000) */
    int verbose;
};

struct scen_result {
    int pass;
    char error[320];
    uint64_t device_features, driver_features;
    unsigned queues;
    uint64_t tx_frames, rx_frames, rx_ok, rx_bad, missing, bytes;
    uint64_t rx_drops, irqs, dma_reads, dma_writes, dma_faults;
    uint64_t cycles;       /* modeled cycles of the traffic phase */
    uint64_t total_cycles; /* modeled cycles of the whole run */
    uint64_t reclaimed, resets, dev_resets, reset_cycles_max;
    double reset_cycles_mean;
    double wall_s;
};

struct scenario {
    const char *name;
    const char *summary;
    int (*run)(const struct scen_opts *o, struct scen_result *r);
};

extern const struct scenario vn_scenarios[];
const struct scenario *vn_scenario_find(const char *name);

int scen_traffic(const struct scen_opts *o, struct scen_result *r);
int scen_qreset(const struct scen_opts *o, struct scen_result *r);
int scen_qreset_random(const struct scen_opts *o, struct scen_result *r);
int scen_bringup(const struct scen_opts *o, struct scen_result *r);

#endif
