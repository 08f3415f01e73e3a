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
    unsigned rx_buf_len; /* bytes per RX buffer incl. header; 0: the driver's 1526 */
    int no_mrg;          /* the driver declines MRG_RXBUF */
    int indirect;        /* the driver puts every chain in an indirect table */
    int packed;          /* the driver takes RING_PACKED: every queue is a packed ring */
    uint32_t dma_latency;
    unsigned frame_len; /* 0: mixed sizes */
    const char *fst_path, *pcap_path;
    const char *firmware; /* NULL/"host" or "core" (vn_tr_sim_opts) */
    int64_t corrupt_frame;
    uint64_t resets; /* queue-reset-random: operations to do (0: 1000) */
    const char *image_path; /* flash-*: the image to flash (NULL: the build's vionic-fw-next.img) */
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
    struct scen_fw {       /* flash-boot, flash-powercut */
        int used;
        uint32_t version_before, version_after; /* VND_FW_VERSION, major << 16 | minor */
        uint32_t boot_status_after;             /* VND_BOOT_STATUS after the reboot */
        uint64_t image_bytes, flash_cycles, boot_cycles;
        double flash_wall_s, boot_wall_s;
        unsigned cuts, cuts_ok; /* flash-powercut: cuts made, cuts the device survived */
    } fw;
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
int scen_flash_boot(const struct scen_opts *o, struct scen_result *r);
int scen_flash_powercut(const struct scen_opts *o, struct scen_result *r);
int scen_coalesce(const struct scen_opts *o, struct scen_result *r);
int scen_rxfilter(const struct scen_opts *o, struct scen_result *r);
int scen_rss(const struct scen_opts *o, struct scen_result *r);
int scen_csum(const struct scen_opts *o, struct scen_result *r);
int scen_matrix(const struct scen_opts *o, struct scen_result *r);
int scen_evidx(const struct scen_opts *o, struct scen_result *r);

/* The demo's traffic engine on a testbench that is up: o->packets frames, every one
 * checked; fills r (pass, counts, error). */
struct tb;
void scen_traffic_run(struct tb *tb, const struct scen_opts *o, struct scen_result *r);
/* Features, queues, DMA and model counters of the testbench into r. */
void scen_fill_common(struct tb *tb, struct scen_result *r);
/* scen_fill_common, the run's cycles as the result's, and the testbench closed. */
void scen_close(struct tb *tb, struct scen_result *r);

#endif
