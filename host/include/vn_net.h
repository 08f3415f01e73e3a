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

#define VN_NET_ALL_PAIRS 0xffffffffu /* queue_pairs: every pair the device has */

struct vn_net_opts {
    unsigned queue_pairs; /* pairs to use (VQ_PAIRS_SET when > 1); 0: 1; VN_NET_ALL_PAIRS */
    unsigned ring_size;   /* per data queue; 0: the device's maximum */
    uint64_t features;    /* features the driver is willing to accept; 0: all it knows */
    unsigned rx_buf_len;  /* bytes per RX buffer incl. the 12-byte header; 0: 1526 */
    int use_irq;          /* wait for MSI-X (1) or poll used rings (0) */
    int tx_split_hdr;     /* TX chains: 0 header+frame in one descriptor, 1 in two */
};

struct vn_net_stats {
    uint64_t tx_frames, tx_bytes, rx_frames, rx_bytes, irqs;
};

VN_WUR int vn_net_open(struct vn_tr *tr, const struct vn_net_opts *opts, struct vn_net **out);
void vn_net_close(struct vn_net *n); /* device reset, memory freed */

uint64_t vn_net_device_features(const struct vn_net *n);
uint64_t vn_net_driver_features(const struct vn_net *n);
unsigned vn_net_queue_pairs(const struct vn_net *n);  /* in use */
unsigned vn_net_ring_size(const struct vn_net *n, unsigned vq);
void vn_net_mac(const struct vn_net *n, uint8_t mac[6]);
uint16_t vn_net_mtu(const struct vn_net *n);         /* NET_MTU_DEFAULT without F_MTU */
uint16_t vn_net_link_status(const struct vn_net *n); /* virtio_net_config.status at open */
/* The virtio-pci layer under the driver, for tests that poke common cfg directly. */
struct vn_pci *vn_net_pci(struct vn_net *n);

/* Give virtqueue vq (a data queue: 2*pair for RX, 2*pair+1 for TX) a new ring of size
 * entries (0: the device maximum) through a per-queue reset, as ethtool -G does.  Frames
 * the device held on that queue are dropped; RX comes back full.  Needs RING_RESET
 * (-ENOTSUP without).  On failure the queue stays out of use (-EIO from tx/rx). */
VN_WUR int vn_net_queue_resize(struct vn_net *n, unsigned vq, unsigned size);

/* Queue a frame (Ethernet header onward, no virtio header) on TX pair qp; the driver
 * prepends the virtio-net header.  -EAGAIN when the ring is full (call vn_net_poll). */
VN_WUR int vn_net_tx(struct vn_net *n, unsigned qp, const void *frame, size_t len);
/* Take one received frame from pair qp (virtio header stripped); -EAGAIN when none.
 * The buffer goes straight back to the device. */
VN_WUR int vn_net_rx(struct vn_net *n, unsigned qp, void *buf, size_t cap, size_t *len);
/* Reap TX completions and interrupts; returns 0 or -errno. Does not advance time. */
VN_WUR int vn_net_poll(struct vn_net *n);
/* Wait (device time) up to timeout_ns for an interrupt or, when polling, a delay. */
VN_WUR int vn_net_wait(struct vn_net *n, uint64_t timeout_ns);
/* TX descriptors the device has not completed yet on pair qp. */
unsigned vn_net_tx_inflight(const struct vn_net *n, unsigned qp);
void vn_net_get_stats(const struct vn_net *n, struct vn_net_stats *st);

#endif
