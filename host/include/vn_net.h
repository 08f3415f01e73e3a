/* vn_net: the user-space virtio-net driver.  Brings a function up in the spec's order
 * (reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK re-read, MSI-X, queues, control
 * queue, DRIVER_OK), sends and receives frames, tears down.  Runs over any transport. */
#ifndef VN_NET_H
#define VN_NET_H

#include <stddef.h>
#include <stdint.h>

#include "vn_transport.h"

struct vn_net;
struct vn_pci;
struct vn_vq;

#define VN_NET_ALL_PAIRS 0xffffffffu /* queue_pairs: every pair the device has */

struct vn_net_opts {
    unsigned queue_pairs; /* pairs to use (VQ_PAIRS_SET when > 1); 0: 1; VN_NET_ALL_PAIRS */
    unsigned ring_size;   /* per data queue; 0: the device's maximum */
    uint64_t features;    /* features the driver is willing to accept; 0: all it knows but
                           * RING_PACKED (see vn_net_known_features) */
    unsigned rx_buf_len;  /* bytes per RX buffer incl. the 12-byte header; 0: 1526 */
    int use_irq;          /* wait for MSI-X (1) or poll used rings (0) */
    int tx_split_hdr;     /* TX chains: 0 header+frame in one descriptor, 1 in two */
    int indirect;         /* every chain in an indirect table (when INDIRECT_DESC is negotiated) */
};

struct vn_net_stats {
    uint64_t tx_frames, tx_bytes, rx_frames, rx_bytes, irqs;
    /* Per-queue resets: buffers handed to a reclaim callback, frames lost because there
     * was none (a queued TX frame, a received RX frame; empty RX buffers are not
     * counted), and resets the device completed. */
    uint64_t reclaimed, reset_dropped, queue_resets;
    /* Announce requests (GUEST_ANNOUNCE) acknowledged on a config interrupt. */
    uint64_t announces;
};

VN_WUR int vn_net_open(struct vn_tr *tr, const struct vn_net_opts *opts, struct vn_net **out);
void vn_net_close(struct vn_net *n); /* device reset, memory freed */

uint64_t vn_net_device_features(const struct vn_net *n);
uint64_t vn_net_driver_features(const struct vn_net *n);
unsigned vn_net_queue_pairs(const struct vn_net *n);  /* in use */
unsigned vn_net_ring_size(const struct vn_net *n, unsigned vq); /* 0: reset or not in use */
void vn_net_mac(const struct vn_net *n, uint8_t mac[6]);
/* SPEED_DUPLEX, read now: Mb/s (VN_NET_SPEED_UNKNOWN) and 1 full, 0 half (0xff unknown);
 * both unknown when not negotiated. */
VN_WUR int vn_net_speed(struct vn_net *n, uint32_t *mbps, uint8_t *duplex);
uint16_t vn_net_mtu(const struct vn_net *n);         /* NET_MTU_DEFAULT without F_MTU */
uint16_t vn_net_link_status(const struct vn_net *n); /* virtio_net_config.status at open */
/* Data queue vq's ring (NULL while reset), for tests that look at ring fields. */
struct vn_vq *vn_net_vq(struct vn_net *n, unsigned vq);
/* The virtio-pci layer under the driver, for tests that poke common cfg directly. */
struct vn_pci *vn_net_pci(struct vn_net *n);

/* ---- per-queue reset (VIRTIO_F_RING_RESET, virtio 1.2 2.6.1) ------------------------
 * Data queue vq: 2*pair for RX, 2*pair+1 for TX.  Sizes are powers of two no larger
 * than the device maximum (vn_net_ring_max); anything else is -EINVAL before the device
 * is touched. */

/* A buffer the driver gets back from a queue it reset.  used = 1: the device completed it
 * before the reset (TX: the frame was sent; RX: frame holds a received frame of len bytes,
 * virtio header stripped); used = 0: the device never used it (TX: the frame as queued,
 * without the virtio header; RX: an empty posted buffer, len 0 -- also one the device
 * handed back empty because a frame did not fit).  frame is valid during the call only. */
typedef void (*vn_net_reclaim_fn)(void *ctx, unsigned vq, const void *frame, size_t len, int used);
/* Reset data queue vq (RING_RESET): the device stops using it and drops its state; then
 * every buffer of the queue is handed to fn exactly once (fn may be NULL: dropped, counted)
 * and the ring is freed.  The queue is out of use (tx/rx on it: -ENODEV) until
 * vn_net_queue_enable.  -ENOTSUP without RING_RESET, -EALREADY if already reset.  When the
 * device does not finish the reset (-ETIMEDOUT) nothing is reclaimed or freed: the queue
 * stays in use. */
VN_WUR int vn_net_queue_reset(struct vn_net *n, unsigned vq, vn_net_reclaim_fn fn, void *ctx);
/* Re-enable a reset queue with a new ring of size entries (0: the size it had); RX rings are
 * filled with buffers, then kicked.  The queue keeps its MSI-X vector.  -EBUSY when the
 * queue is not reset; on any failure it stays reset and enable may be retried. */
VN_WUR int vn_net_queue_enable(struct vn_net *n, unsigned vq, unsigned size);
/* ethtool -G: for each pair in turn, TX then RX (0 leaves that direction alone): reset,
 * reclaim through fn, re-enable at the new size, while the other queues keep running.
 * A queue already reset is only re-enabled.  Stops at the first failure. */
/* Notification coalescing (NOTF_COAL / VQ_NOTF_COAL): a notification once max_packets
 * buffers are used or max_usecs after the first, for every RX (rx=1) or TX queue, or for
 * one data queue vq.  -ENOTSUP when not negotiated, -EIO when the device refuses. */
VN_WUR int vn_net_set_coalesce(struct vn_net *n, int rx, uint32_t max_packets, uint32_t max_usecs);
VN_WUR int vn_net_set_queue_coalesce(struct vn_net *n, unsigned vq, uint32_t max_packets,
                                     uint32_t max_usecs);
VN_WUR int vn_net_get_queue_coalesce(struct vn_net *n, unsigned vq, uint32_t *max_packets,
                                     uint32_t *max_usecs);
/* ---- receive filter, RSS, receive offloads (control queue, virtio 1.2 5.1.6.5) --------
 * Each returns 0, -ENOTSUP when its feature was not negotiated (or there is no control
 * queue), -EIO when the device answers VIRTIO_NET_ERR, -EINVAL for what the command cannot
 * encode (or does not fit the driver's 1024-byte command buffer), -ETIMEDOUT when the
 * device does not answer.  Values are otherwise passed on unchecked: the device judges. */
/* RX class: cmd VN_CTRL_RX_PROMISC / ALLMULTI (CTRL_RX), ALLUNI / NOMULTI / NOUNI /
 * NOBCAST (CTRL_RX_EXTRA); on 0 or 1.  Any other cmd (< 256) is sent too (CTRL_RX). */
VN_WUR int vn_net_set_rx_mode(struct vn_net *n, unsigned cmd, int on);
/* MAC TABLE_SET (CTRL_RX): the unicast and multicast addresses the filter takes. */
VN_WUR int vn_net_set_mac_table(struct vn_net *n, const uint8_t (*uni)[6], unsigned nuni,
                                const uint8_t (*multi)[6], unsigned nmulti);
/* MAC ADDR_SET (CTRL_MAC_ADDR); vn_net_mac returns it afterwards. */
VN_WUR int vn_net_set_mac_addr(struct vn_net *n, const uint8_t mac[6]);
/* VLAN ADD (add != 0) or DEL of vid (CTRL_VLAN). */
VN_WUR int vn_net_vlan(struct vn_net *n, int add, uint16_t vid);
/* ANNOUNCE ACK (GUEST_ANNOUNCE).  The driver sends it itself when a config interrupt
 * finds NET_S_ANNOUNCE (vn_net_poll, vn_net_wait with MSI-X; stats.announces). */
VN_WUR int vn_net_announce_ack(struct vn_net *n);
/* MQ RSS_CONFIG (RSS): entries table entries (receive queue pairs; mask entries - 1), the
 * queue for frames without a hash, a key of key_len bytes; max_tx_vq is the pairs in
 * use.  With RSS but not MQ, this is how pairs beyond the first get frames. */
VN_WUR int vn_net_set_rss(struct vn_net *n, uint32_t hash_types, const uint16_t *table,
                          unsigned entries, uint16_t unclassified, const uint8_t *key,
                          unsigned key_len);
/* MQ HASH_CONFIG (HASH_REPORT): hash reports without steering.  The driver does not
 * negotiate HASH_REPORT yet (its data path has no 20-byte header): -ENOTSUP. */
VN_WUR int vn_net_set_hash_config(struct vn_net *n, uint32_t hash_types, const uint8_t *key,
                                  unsigned key_len);
/* GUEST_OFFLOADS SET (CTRL_GUEST_OFFLOADS): bit n for each GUEST_* feature bit n to keep
 * on; only negotiated ones are accepted by the device. */
VN_WUR int vn_net_set_guest_offloads(struct vn_net *n, uint64_t mask);

VN_WUR int vn_net_set_ring_sizes(struct vn_net *n, unsigned rx, unsigned tx, vn_net_reclaim_fn fn,
                                 void *ctx);
/* vn_net_queue_reset without a callback, then vn_net_queue_enable at size (0: the device
 * maximum); a queue already reset is only re-enabled. */
VN_WUR int vn_net_queue_resize(struct vn_net *n, unsigned vq, unsigned size);
/* Every host-memory range the device may touch for vq (rings and posted buffers; the
 * control queue too), for DMA monitors: fn(ctx, iova, len) per range.  None for a queue
 * that is reset. */
void vn_net_queue_memory(const struct vn_net *n, unsigned vq,
                         void (*fn)(void *ctx, uint64_t iova, uint64_t len), void *ctx);
/* The largest ring the device takes for data queue vq (its queue_size at bring-up). */
unsigned vn_net_ring_max(const struct vn_net *n, unsigned vq);
/* Whether data queue vq is reset (out of use). */
int vn_net_queue_is_reset(const struct vn_net *n, unsigned vq);

/* Queue a frame (Ethernet header onward, no virtio header) on TX pair qp; the driver
 * prepends the virtio-net header.  -EAGAIN when the ring is full (call vn_net_poll),
 * -ENODEV while its queue is reset. */
VN_WUR int vn_net_tx(struct vn_net *n, unsigned qp, const void *frame, size_t len);
/* Take one received frame from pair qp (virtio header stripped); -EAGAIN when none,
 * -ENODEV while its queue is reset.  The buffer goes straight back to the device. */
VN_WUR int vn_net_rx(struct vn_net *n, unsigned qp, void *buf, size_t cap, size_t *len);
/* The same with the checksum offload (CSUM): the device sums the frame from csum_start to
 * its end and stores the result at csum_start + csum_offset (the driver leaves the
 * pseudo-header sum there).  -ENOTSUP without CSUM, -EINVAL for a field outside the
 * frame.  o may be NULL. */
struct vn_net_txo {
    int needs_csum;
    uint16_t csum_start, csum_offset;
};
VN_WUR int vn_net_tx_ex(struct vn_net *n, unsigned qp, const void *frame, size_t len,
                        const struct vn_net_txo *o);
/* vn_net_rx with what the header said: flags (DATA_VALID with GUEST_CSUM), and with
 * HASH_REPORT the hash and its type (HASH_REPORT_*).  info may be NULL. */
struct vn_net_rxi {
    uint8_t flags;
    uint32_t hash_value;
    uint16_t hash_report;
};
VN_WUR int vn_net_rx_ex(struct vn_net *n, unsigned qp, void *buf, size_t cap, size_t *len,
                        struct vn_net_rxi *info);
/* The net header this driver and the device use: 12 bytes, 20 with HASH_REPORT. */
unsigned vn_net_hdr_len(const struct vn_net *n);
/* Every feature this driver can use.  opts.features 0 accepts all of them but
 * RING_PACKED: rings are split unless the caller's mask has RING_PACKED (e.g.
 * vn_net_known_features(), or ~0 -- so "~X", everything but X, asks for packed too).
 * With RING_PACKED negotiated every queue, data and control, is packed; ring sizes are
 * still powers of two, though the device would take any. */
uint64_t vn_net_known_features(void);
/* VQ_PAIRS_SET (MQ): steer by RX_QUEUE_PAIRS again after RSS (1..the pairs in use). */
VN_WUR int vn_net_set_queue_pairs(struct vn_net *n, unsigned pairs);
/* Reap TX completions and interrupts; returns 0 or -errno. Does not advance time. */
VN_WUR int vn_net_poll(struct vn_net *n);
/* Wait (device time) up to timeout_ns for an interrupt or, when polling, a delay. */
VN_WUR int vn_net_wait(struct vn_net *n, uint64_t timeout_ns);
/* TX descriptors the device has not completed yet on pair qp. */
unsigned vn_net_tx_inflight(const struct vn_net *n, unsigned qp);
void vn_net_get_stats(const struct vn_net *n, struct vn_net_stats *st);

#endif
