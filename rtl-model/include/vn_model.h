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
 * Return 0 (a read then filled all len bytes), or nonzero when the range is not mapped (a DMA fault: reads then return
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
    int firmware_core;      /* 0: host mode (vn_model_set_fw; the firmware bus is the host's).
                             * 1: the embedded RV32 core runs whatever ROM, IMEM and flash
                             * hold, from the boot ROM at reset; vn_model_fw_read/write and
                             * set_fw then do nothing useful. */
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

/* Firmware bus (host mode HAL): one cycle each.  In core mode the core owns the bus and
 * these accesses are ignored (reads return stale data). */
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
    uint64_t core_instret; /* core mode: instructions retired since the core's last reset */
    uint32_t core_pc;      /* core mode: the core's program counter */
};
void vn_model_get_stats(const vn_model *m, struct vn_model_stats *st);

/* ---- the embedded core, its memories, flash and link (core mode) -------------------- */
/* Load the boot ROM (at most VN_CORE_ROM_SIZE bytes; the rest reads 0) or bytes into IMEM at
 * byte offset off (direct boot: a ROM that jumps to IMEM).  Zero model time.  The core
 * starts over in the ROM (vn_model_core_reset) for the change to take effect.  0 or
 * -EINVAL (too long, off not word aligned). */
int vn_model_load_rom(vn_model *m, const void *data, size_t len);
int vn_model_load_imem(vn_model *m, uint32_t off, const void *data, size_t len);
/* Flash backdoor, byte offsets in the array (off word aligned, len any: a partial last word
 * keeps its other bytes).  A write takes one model cycle a word (the array's write port),
 * a read none.  0 or -EINVAL (outside the flash). */
int vn_model_flash_write(vn_model *m, uint32_t off, const void *data, size_t len);
int vn_model_flash_read(vn_model *m, uint32_t off, void *buf, size_t len);
/* Power cycle: the flash sees a cut (an erase or program in progress stops half done),
 * then the whole device is reset; only flash contents and the memories' arrays (ROM,
 * IMEM, DMEM) survive.  DMA reads in flight, a half-sent RX frame and queued RX frames
 * are dropped.  Host mode: the caller runs fw_init() again. */
void vn_model_power_cycle(vn_model *m);
/* The core alone restarts in the boot ROM (as CORE_RESET does); one model cycle. */
void vn_model_core_reset(vn_model *m);
/* The MAC's link (default up).  Every change is an EVT_KIND_LINK firmware event. */
void vn_model_set_link(vn_model *m, int up);
/* Core mode: 1 once the firmware running on the core has polled the event FIFO since the
 * core's last reset (it has finished its init); host mode: always 1. */
int vn_model_fw_ready(const vn_model *m);

#ifdef __cplusplus
}
#endif
#endif
