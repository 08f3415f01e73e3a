/* vn_pci: the virtio-pci modern transport layer over any vn_tr.  Finds the virtio
 * structures by walking the capability list (never by assuming where they are), then
 * offers accessors named after the fields of virtio_pci_common_cfg, each with the
 * field's width.  Knows nothing about networking. */
#ifndef VN_PCI_H
#define VN_PCI_H

#include <stdint.h>

#include "vn_transport.h"

/* Where one virtio structure lives: BAR and byte range inside it. */
struct vn_pci_region {
    int present;
    uint8_t bar;
    uint32_t off;
    uint32_t len;
    uint8_t cap; /* config-space offset of the capability that described it */
};

struct vn_pci {
    struct vn_tr *tr;
    struct vn_pci_region common, notify, isr, device;
    uint32_t notify_mult;
    uint8_t pcicfg_cap;    /* 0: no PCI_CFG capability */
    uint8_t msix_cap;      /* 0: no MSI-X capability */
    uint16_t msix_entries; /* table size */
    uint64_t poll_ns;      /* interval of reset polls; 0: 1000 (Linux sleeps 1 ms) */
};

/* Walk the capability list and fill p.  -ENODEV when the function is not a modern
 * virtio device or a mandatory structure is missing; -ELOOP for a loop in the list,
 * -ERANGE for a pointer outside the config header's capability area, -EINVAL for a
 * capability too short for its type or a misaligned structure. */
VN_WUR int vn_pci_probe(struct vn_tr *tr, struct vn_pci *p);
/* COMMAND.MEM and COMMAND.MASTER on: BAR decoding, DMA and MSI-X. */
VN_WUR int vn_pci_enable(struct vn_pci *p);
/* COMMAND.MASTER off again (no DMA after close). */
VN_WUR int vn_pci_disable(struct vn_pci *p);

/* ---- common cfg, one accessor per spec field (get = read, set = write) --------------- */
VN_WUR int vn_pci_get_device_feature_select(struct vn_pci *p, uint32_t *v);
VN_WUR int vn_pci_set_device_feature_select(struct vn_pci *p, uint32_t v);
VN_WUR int vn_pci_get_device_feature(struct vn_pci *p, uint32_t *v);
VN_WUR int vn_pci_get_driver_feature_select(struct vn_pci *p, uint32_t *v);
VN_WUR int vn_pci_set_driver_feature_select(struct vn_pci *p, uint32_t v);
VN_WUR int vn_pci_get_driver_feature(struct vn_pci *p, uint32_t *v);
VN_WUR int vn_pci_set_driver_feature(struct vn_pci *p, uint32_t v);
VN_WUR int vn_pci_get_config_msix_vector(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_set_config_msix_vector(struct vn_pci *p, uint16_t v);
VN_WUR int vn_pci_get_num_queues(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_get_device_status(struct vn_pci *p, uint8_t *v);
VN_WUR int vn_pci_set_device_status(struct vn_pci *p, uint8_t v);
VN_WUR int vn_pci_get_config_generation(struct vn_pci *p, uint8_t *v);
VN_WUR int vn_pci_get_queue_select(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_set_queue_select(struct vn_pci *p, uint16_t v);
VN_WUR int vn_pci_get_queue_size(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_set_queue_size(struct vn_pci *p, uint16_t v);
VN_WUR int vn_pci_get_queue_msix_vector(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_set_queue_msix_vector(struct vn_pci *p, uint16_t v);
VN_WUR int vn_pci_get_queue_enable(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_set_queue_enable(struct vn_pci *p, uint16_t v);
VN_WUR int vn_pci_get_queue_notify_off(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_get_queue_desc(struct vn_pci *p, uint64_t *v);
VN_WUR int vn_pci_set_queue_desc(struct vn_pci *p, uint64_t v);
VN_WUR int vn_pci_get_queue_driver(struct vn_pci *p, uint64_t *v);
VN_WUR int vn_pci_set_queue_driver(struct vn_pci *p, uint64_t v);
VN_WUR int vn_pci_get_queue_device(struct vn_pci *p, uint64_t *v);
VN_WUR int vn_pci_set_queue_device(struct vn_pci *p, uint64_t v);
VN_WUR int vn_pci_get_queue_notif_config_data(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_get_queue_reset(struct vn_pci *p, uint16_t *v);
VN_WUR int vn_pci_set_queue_reset(struct vn_pci *p, uint16_t v);

/* ---- composite operations ----------------------------------------------------------- */
VN_WUR int vn_pci_read_device_features(struct vn_pci *p, uint64_t *features);
VN_WUR int vn_pci_write_driver_features(struct vn_pci *p, uint64_t features);
VN_WUR int vn_pci_read_driver_features(struct vn_pci *p, uint64_t *features);
/* Write device_status 0 and poll (vn_tr_delay between reads) until it reads 0;
 * -ETIMEDOUT after timeout_ns of device time. */
VN_WUR int vn_pci_reset(struct vn_pci *p, uint64_t timeout_ns);
/* Per-queue reset (RING_RESET, 2.6.1): queue_reset = 1, then poll until both queue_reset
 * and queue_enable read 0; -ETIMEDOUT after timeout_ns of device time.  Afterwards the
 * device no longer touches the queue's rings. */
VN_WUR int vn_pci_queue_reset(struct vn_pci *p, uint16_t queue, uint64_t timeout_ns);
/* OR bits into device_status (read-modify-write, as the spec's sequence needs). */
VN_WUR int vn_pci_add_status(struct vn_pci *p, uint8_t bits);
/* -ERANGE when a queue with this notify_off would write outside the notify structure. */
VN_WUR int vn_pci_notify_check(const struct vn_pci *p, uint16_t notify_off);
/* Doorbell: the 16-bit queue index at notify.off + notify_off * multiplier. */
/* A NOTIFICATION_DATA doorbell: data = queue | next_off << 16 | next_wrap << 31. */
VN_WUR int vn_pci_notify_data(struct vn_pci *p, uint16_t notify_off, uint32_t data);
VN_WUR int vn_pci_notify(struct vn_pci *p, uint16_t notify_off, uint16_t queue);
/* Read (and so clear) the ISR byte. */
VN_WUR int vn_pci_isr_read(struct vn_pci *p, uint8_t *isr);
/* Device-specific config: size 1, 2 or 4, naturally aligned, inside the structure. */
VN_WUR int vn_pci_device_read(struct vn_pci *p, uint32_t off, unsigned size, uint32_t *v);
/* len bytes of device config with a config_generation check around them (retried until
 * the generation is stable), for fields wider than one access such as the MAC. */
VN_WUR int vn_pci_device_read_bytes(struct vn_pci *p, uint32_t off, void *buf, unsigned len);
/* A BAR access through the PCI_CFG capability window instead of the BAR itself. */
VN_WUR int vn_pci_cfgwin_read(struct vn_pci *p, uint8_t bar, uint32_t off, unsigned size,
                              uint32_t *v);
VN_WUR int vn_pci_cfgwin_write(struct vn_pci *p, uint8_t bar, uint32_t off, unsigned size,
                               uint32_t v);

#endif
