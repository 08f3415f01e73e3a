/* vdpa_dev: the vionic function driven the way a vDPA parent driver drives a virtio-pci
 * device for someone else's rings.  The rings live in the front-end's memory, which the
 * device reaches through IOMMU-style mappings (guest physical address -> our pointer);
 * the bridge owns only the device's control queue.  Queue index = virtio queue index
 * (2p RX, 2p+1 TX).  Runs over any transport; the bridge uses the in-process model. */
#ifndef VDPA_DEV_H
#define VDPA_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "vn_transport.h"

#define VDPA_MAX_QUEUES 128 /* 64 pairs */

struct vdpa_dev;

struct vdpa_qcfg {
    unsigned size;
    uint64_t desc, avail, used; /* guest physical */
    uint16_t base;              /* avail/used index the driver starts from */
};

/* tr: an open transport (the device is reset and probed here).  Fails with a message
 * when the function is not a vionic/virtio-net device that offers VERSION_1. */
VN_WUR int vdpa_dev_open(struct vn_tr *tr, struct vdpa_dev **out);
void vdpa_dev_close(struct vdpa_dev *d); /* device reset; the transport stays open */

/* What the device offers a driver (the front-end sees a subset, chosen by the bridge). */
uint64_t vdpa_dev_device_features(const struct vdpa_dev *d);
unsigned vdpa_dev_max_pairs(const struct vdpa_dev *d);
unsigned vdpa_dev_ring_max(const struct vdpa_dev *d, unsigned q);
void vdpa_dev_mac(const struct vdpa_dev *d, uint8_t mac[6]);
/* virtio_net_config.status (LINK_UP) as the device reports it now. */
VN_WUR int vdpa_dev_link_status(struct vdpa_dev *d, uint16_t *status);

/* Features the front-end accepted; the device is (re)negotiated with them, plus what the
 * bridge itself needs (ACCESS_PLATFORM, RING_RESET, CTRL_VQ + MQ), at the next start. */
void vdpa_dev_set_features(struct vdpa_dev *d, uint64_t features);
bool vdpa_dev_is_up(const struct vdpa_dev *d);
/* device_status as the device reports it now (NEEDS_RESET: a queue error), through the
 * transport like every other access; 0 or a negative errno. */
int vdpa_dev_status(struct vdpa_dev *d, uint8_t *st);

/* Start queue q with cfg: the device is brought up first if it is not (reset, features,
 * control queue, DRIVER_OK).  A non-zero base goes to vionic's VND_QUEUE_BASE (virtio 1.2
 * has no way to start a split ring elsewhere than 0).  -EINVAL for a config the device
 * cannot take. */
VN_WUR int vdpa_dev_queue_start(struct vdpa_dev *d, unsigned q, const struct vdpa_qcfg *cfg);
/* Stop queue q with a per-queue reset: the device completes what it started, publishes
 * it, then forgets the ring (without RING_RESET: a device reset).  -EALREADY if not live. */
VN_WUR int vdpa_dev_queue_stop(struct vdpa_dev *d, unsigned q);
bool vdpa_dev_queue_live(const struct vdpa_dev *d, unsigned q);
VN_WUR int vdpa_dev_kick(struct vdpa_dev *d, unsigned q);
/* RX steering over pairs 0..n-1 (control queue VQ_PAIRS_SET); no-op when unchanged. */
VN_WUR int vdpa_dev_set_pairs(struct vdpa_dev *d, unsigned n);
/* Device reset: every queue stops, features are forgotten. */
VN_WUR int vdpa_dev_reset(struct vdpa_dev *d);

/* MSI-X vector of queue q (1 + q) and of config changes (0). */
static inline unsigned vdpa_dev_queue_vector(unsigned q) { return 1 + q; }
#define VDPA_CONFIG_VECTOR 0u
/* Which vectors fired since the last call (bit v), without letting time pass. */
uint64_t vdpa_dev_take_irqs(struct vdpa_dev *d);

#endif
