/* vn_model: the Verilated vionic device behind a C API.  Everything above this header is
 * C; the only C++ is the file that implements it.  One model is one PCI function with
 * its firmware bus, host-memory (DMA) port and MAC streams; time is explicit: nothing
 * moves unless a call here advances the clock. */
#ifndef VN_MODEL_H
#define VN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VN_MODEL_CLOCK_HZ 250000000u /* modeled clock: cycles -> time */

typedef struct vn_model vn_model;

/* The host side of the DMA port: host memory by bus address (an IOVA, never a pointer).
 * Return 0, or nonzero when the range is not mapped (a DMA fault: reads then return
 * zeros, writes are dropped, and vn_model_dma_faults() counts it).  MSI-X messages are
 * ordinary 4-byte writes to the address the MSI-X table holds. */
struct vn_model_host {
    void *ctx;
    int (*dma_read)(void *ctx, uint64_t addr, void *buf, uint32_t len);
    int (*dma_write)(void *ctx, uint64_t addr, const void *buf, uint32_t len);
};

/* The MAC side: a frame the device transmitted (called when tlast is seen). */
struct vn_model_mac {
    void *ctx;
    void (*tx_frame)(void *ctx, const uint8_t *frame, uint32_t len);
};

/* Firmware run on the host ("host mode"): poll() is called between cycles whenever the
 * firmware event line is up, or while the previous poll() returned nonzero (work in
 * progress, e.g. waiting for a queue to drain).  Its register accesses each take one
 * cycle of model time; poll() is never re-entered. */
struct vn_model_fw {
    void *ctx;
    int (*poll)(void *ctx);
};

struct vn_model_cfg {
    uint32_t dma_latency;   /* cycles from a read request to its first completion beat; 0: 250 */
    uint32_t dma_max_reads; /* read tags the host accepts at once; 0: 256 */
    const char *fst_path;   /* NULL: no waveform; else FST file written while the model runs */
};

vn_model *vn_model_new(const struct vn_model_cfg *cfg); /* NULL on failure (errno set) */
void vn_model_free(vn_model *m);

void vn_model_set_host(vn_model *m, const struct vn_model_host *host);
void vn_model_set_mac(vn_model *m, const struct vn_model_mac *mac);
void vn_model_set_fw(vn_model *m, const struct vn_model_fw *fw);

uint64_t vn_model_cycles(const vn_model *m);
void vn_model_step(vn_model *m, uint64_t cycles);

/* PCI completer side: each call runs the model until the device answers (reads of the
 * common and device config wait while firmware has events to handle).  size is 1, 2 or 4
 * and the access must be naturally aligned.  Returns 0, -EINVAL for a bad access, or
 * -ETIMEDOUT when the device did not answer within 1,000,000 cycles. */
int vn_model_cfg_read(vn_model *m, uint32_t off, unsigned size, uint32_t *val);
int vn_model_cfg_write(vn_model *m, uint32_t off, unsigned size, uint32_t val);
int vn_model_bar_read(vn_model *m, unsigned bar, uint32_t off, unsigned size, uint32_t *val);
int vn_model_bar_write(vn_model *m, unsigned bar, uint32_t off, unsigned size, uint32_t val);

/* Firmware bus (host mode HAL): one cycle each. */
uint32_t vn_model_fw_read(vn_model *m, uint32_t addr);
void vn_model_fw_write(vn_model *m, uint32_t addr, uint32_t val);
int vn_model_fw_irq(const vn_model *m);

/* MAC receive: queue a frame to present on the RX stream (64 B a beat, one beat a cycle
 * while the device is ready).  -ENOSPC when the model's RX queue (256 frames) is full. */
int vn_model_mac_rx(vn_model *m, const uint8_t *frame, uint32_t len);
unsigned vn_model_mac_rx_pending(const vn_model *m);

struct vn_model_stats {
    uint64_t cycles;
    uint64_t dma_reads, dma_read_bytes;   /* read requests and bytes returned */
    uint64_t dma_writes, dma_write_bytes; /* write beats and bytes (MSI-X included) */
    uint64_t dma_faults;
    uint32_t dma_reads_max_inflight;
    uint64_t mac_tx_frames, mac_rx_frames;
};
void vn_model_get_stats(const vn_model *m, struct vn_model_stats *st);

#ifdef __cplusplus
}
#endif
#endif
