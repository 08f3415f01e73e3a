/* fw_internal.h: state and entry points shared by the firmware's own files.
 *
 * The RTL shadows are the firmware's record of a queue's setup: the driver reads them
 * back, and firmware reads them back too (QS_SEL, QS_*), so the firmware keeps little per
 * queue (sized for the largest build): one bit a queue for a queue reset in progress, so
 * that polling visits the resetting queues instead of reading back every queue's
 * QS_RESET; the start index a vDPA restore gave, with one bit a queue saying it was given
 * (a packed queue's fresh start is not 0, and 0 is a valid restored value); and the
 * coalescing word a data queue runs with, which the engine takes but cannot report back
 * (VQ_GET). */
#ifndef VN_FW_INTERNAL_H
#define VN_FW_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "fw_util.h"
#include "vionic_regs.h"

/* The MAC the device reports: locally administered (0x02), then "VNIC", then 1. */
#define FW_MAC0 0x02u
#define FW_MAC1 0x56u
#define FW_MAC2 0x4eu
#define FW_MAC3 0x49u
#define FW_MAC4 0x43u
#define FW_MAC5 0x01u

#define FW_BIT(n) ((uint64_t)1 << (n))
#define FW_OFFERED                                                                         \
    (FW_BIT(VN_F_VERSION_1) | FW_BIT(VN_F_ACCESS_PLATFORM) | FW_BIT(VN_F_MAC) |          \
     FW_BIT(VN_F_STATUS) | FW_BIT(VN_F_MTU) | FW_BIT(VN_F_CTRL_VQ) | FW_BIT(VN_F_MQ) |  \
     FW_BIT(VN_F_RING_RESET) | FW_BIT(VN_F_IN_ORDER) | FW_BIT(VN_F_MRG_RXBUF) |          \
     FW_BIT(VN_F_NOTF_COAL) | FW_BIT(VN_F_VQ_NOTF_COAL) | FW_BIT(VN_F_INDIRECT_DESC) |         \
     FW_BIT(VN_F_SPEED_DUPLEX) | FW_BIT(VN_F_NOTIFICATION_DATA) | FW_BIT(VN_F_CSUM) |     \
     FW_BIT(VN_F_GUEST_CSUM) | FW_BIT(VN_F_CTRL_GUEST_OFFLOADS) | FW_BIT(VN_F_CTRL_RX) |  \
     FW_BIT(VN_F_CTRL_RX_EXTRA) | FW_BIT(VN_F_CTRL_VLAN) | FW_BIT(VN_F_CTRL_MAC_ADDR) |   \
     FW_BIT(VN_F_GUEST_ANNOUNCE) | FW_BIT(VN_F_RSS) | FW_BIT(VN_F_HASH_REPORT) |          \
     FW_BIT(VN_F_EVENT_IDX) | FW_BIT(VN_F_RING_PACKED))

/* Features that exist only as control-queue commands: they need CTRL_VQ (5.1.3.1). */
#define FW_NEEDS_CTRL_VQ                                                                   \
    (FW_BIT(VN_F_MQ) | FW_BIT(VN_F_NOTF_COAL) | FW_BIT(VN_F_VQ_NOTF_COAL) |                \
     FW_BIT(VN_F_CTRL_RX) | FW_BIT(VN_F_CTRL_RX_EXTRA) | FW_BIT(VN_F_CTRL_VLAN) |          \
     FW_BIT(VN_F_CTRL_MAC_ADDR) | FW_BIT(VN_F_GUEST_ANNOUNCE) | FW_BIT(VN_F_RSS) |         \
     FW_BIT(VN_F_HASH_REPORT) | FW_BIT(VN_F_CTRL_GUEST_OFFLOADS))

/* The receive offloads GUEST_OFFLOADS_SET may switch (5.1.6.5.6.1): GUEST_CSUM, TSO4,
 * TSO6, ECN, UFO, USO4, USO6.  The spec numbers, not VN_ constants: of these the device
 * offers GUEST_CSUM alone, and a bit it does not offer is never negotiated. */
#define FW_GUEST_OFFLOADS                                                                  \
    (FW_BIT(VN_F_GUEST_CSUM) | FW_BIT(7) | FW_BIT(8) | FW_BIT(9) | FW_BIT(10) | FW_BIT(54) | \
     FW_BIT(55))

#define FW_DEVCFG_WORDS (VN_DEVICE_LEN / 4u)

/* Per-queue firmware state is one bit a queue, sized for the largest build. */
#define FW_MAX_QUEUES (2u * VN_MAX_QUEUE_PAIRS + 1u)
#define FW_QMAP_WORDS ((FW_MAX_QUEUES + 31u) / 32u)
#define FW_MAX_DATA_QUEUES (2u * VN_MAX_QUEUE_PAIRS)

static inline bool fw_qbit(const uint32_t *map, uint32_t q)
{
    return (map[q / 32u] >> (q % 32u)) & 1u;
}

static inline void fw_qbit_put(uint32_t *map, uint32_t q, bool on)
{
    uint32_t m = 1u << (q % 32u);
    map[q / 32u] = on ? map[q / 32u] | m : map[q / 32u] & ~m;
}

/* VLAN ids 0..4095, a bit each (RXF_VLAN_IDX/RXF_VLAN_DATA words). */
#define FW_VLAN_IDS 4096u
#define FW_VLAN_WORDS (FW_VLAN_IDS / 32u)

/* The value bits of a common cfg field of the given width in bytes. */
#define FW_FIELD_MASK(bytes) ((bytes) >= 4 ? 0xffffffffu : (1u << (8u * ((bytes) & 3u))) - 1u)

/* The control virtqueue as firmware serves it: copied from the shadows at enable, in the
 * layout negotiated then.  Split: last_avail and used_idx are the free-running 16-bit
 * indices.  Packed: they are ring slots (below size), each with its wrap counter; avail
 * and used hold the driver and device event suppression areas. */
struct fw_ctrlq {
    bool live;   /* enabled by the driver */
    bool broken; /* the driver corrupted it: no more service until reset */
    bool aev_written; /* split, EVENT_IDX: avail_event written since enable */
    bool packed;
    bool avail_wrap, used_wrap; /* packed: both 1 at enable (2.8.1) */
    /* packed, EVENT_IDX: used_idx at the last notification decision, invalid at enable
     * and once the used slot wrapped (then the next decision notifies, as QEMU) */
    bool signalled_valid;
    uint16_t signalled;
    uint16_t size;
    uint16_t vector;
    uint16_t last_avail;
    uint16_t used_idx;
    uint64_t desc, avail, used;
};

struct fw_state {
    /* from FW_HWCFG */
    uint32_t max_pairs;
    uint32_t num_vectors;
    uint32_t max_qsize;
    uint32_t num_queues; /* 2 * max_pairs data queues + the control queue */
    uint32_t ctrl_q;     /* 2 * max_pairs */

    uint8_t status;        /* what CC_DEVICE_STATUS holds */
    bool resetting;        /* a device reset waits for DEV_IDLE */
    uint32_t drv_feat[2];  /* driver_feature words 0 and 1 as written, invalid bits too */
    uint32_t drv_feat_hi;  /* bit w-2: word w (2..33) was written nonzero */
    bool drv_feat_far;     /* a word beyond 33 was written nonzero */
    uint64_t negotiated;   /* latched at FEATURES_OK */

    uint32_t devcfg[FW_DEVCFG_WORDS];
    bool devcfg_valid;
    bool link_up;          /* the MAC's link, as virtio_net_config.status shows it */
    uint16_t qbase[FW_MAX_QUEUES]; /* VND_QUEUE_BASE: where a data queue's indices start */
    uint32_t qbase_set[FW_QMAP_WORDS]; /* bit q: qbase[q] was given since q's last reset */
    uint8_t config_gen;

    struct fw_ctrlq cq;
    uint32_t qreset[FW_QMAP_WORDS]; /* bit q: queue q's reset is in progress */

    /* Notification coalescing, each as the QC_COAL word (max_packets in [15:0], max_usecs
     * in [31:16], both capped): what data queue q was last given, valid while it is
     * enabled; and the last RX_SET ([0]) and TX_SET ([1]), indexed by q & 1, that a queue
     * takes when it is enabled (0 when there was none). */
    uint32_t coal[FW_MAX_DATA_QUEUES];
    uint32_t coal_dir[2];

    uint8_t mac[VN_DEVICE_NET_MAC_SIZE]; /* the current MAC: FW_MAC at reset, ADDR_SET */
    bool announce;            /* NET_S_ANNOUNCE: the driver has yet to ANNOUNCE_ACK */
    uint64_t guest_offloads;  /* FW_GUEST_OFFLOADS bits on (GUEST_OFFLOADS_SET) */
    uint32_t rss_ctrl;        /* what RSS_CTRL holds, for read-modify-write */

    /* Receive filter: the driver's RXF_* choices, the ALLUNI/ALLMULTI a MAC table too
     * large forced on (kept apart, so that the driver turning its own choice off does not
     * turn them off), the MAC table entries in use, and the VLAN bitmap as written. */
    uint32_t rxf_mode;
    uint32_t rxf_overflow;
    uint32_t rxf_macs;
    uint32_t rxf_vlan[FW_VLAN_WORDS];
};

/* The device-writable part of a control command: reply data, then the ack byte.  A
 * command that answers with data puts it here; fw_ctrlq.c writes it at the start of the
 * writable area. */
#define FW_CTRL_REPLY_MAX 8u /* VQ_GET: virtio_net_ctrl_coal */
struct fw_ctrl_reply {
    uint32_t room; /* writable bytes before the ack, at most FW_CTRL_REPLY_MAX */
    uint32_t len;  /* bytes of data the command answers with, at most room */
    uint8_t data[FW_CTRL_REPLY_MAX];
};

extern struct fw_state fw_st;

/* fw_main.c: every shadow but device_status to its reset value */
void fw_defaults(void);

/* fw_status.c */
void fw_set_needs_reset(void);
/* The DEV_CTRL word of a live device: what was negotiated, less the receive offloads the
 * driver turned off. */
uint32_t fw_dev_ctrl(void);
void fw_on_status(uint8_t v);
bool fw_reset_start(void);  /* true: done; false: waiting for DEV_IDLE */
bool fw_reset_finish(void); /* true: done (status 0 published) */

/* fw_features.c */
void fw_on_driver_feature(uint32_t sel, uint32_t v);
bool fw_features_acceptable(void);
uint64_t fw_features_written(void);
void fw_features_reset(void);

/* fw_queues.c */
void fw_on_config_vector(uint32_t v);
void fw_on_queue_write(uint32_t off, uint32_t q, uint32_t v);
bool fw_queue_enabled(uint32_t q);
void fw_queues_reset(void);
/* every shadow of queue q to its reset value, queue_enable before queue_reset */
void fw_queue_defaults(uint32_t q);

/* fw_qreset.c: per-queue reset (RING_RESET) */
void fw_on_queue_reset(uint32_t q, uint32_t v);
bool fw_qreset_busy(uint32_t q);
bool fw_qreset_poll(void); /* true while a queue reset is still in progress */
void fw_qreset_clear(void);

/* fw_devcfg.c */
void fw_publish_devcfg(void);
/* The MAC's link changed: new status, new generation, config interrupt when live. */
void fw_on_link(bool up);
/* Ask the driver to announce itself (GUEST_ANNOUNCE): NET_S_ANNOUNCE, a new generation
 * and a config interrupt.  false: not negotiated or the driver is not live. */
bool fw_announce(void);
/* fw_queues.c: VND_QUEUE_BASE written for queue q (a vDPA restore of the ring's indices) */
void fw_on_queue_base(uint32_t q, uint32_t v);

/* fw_fdma.c: one mailbox transfer, 1..VN_FDMA_MAX bytes. 0 or -errno. */
int fw_fdma_read(uint64_t addr, uint8_t *buf, uint32_t len);
int fw_fdma_write(uint64_t addr, const uint8_t *buf, uint32_t len);

/* fw_ctrlq.c (with fw_ctrlq_split.c and fw_ctrlq_packed.c, the two ring layouts) */
void fw_ctrlq_enable(uint32_t q);
void fw_ctrlq_service(void);
void fw_ctrlq_reset(void);

/* fw_coal.c: notification coalescing (NOTF_COAL, VQ_NOTF_COAL) */
void fw_coal_reset(void);
/* The QC_COAL word for data queue q being started (its direction's last *_SET), now
 * also what the queue is recorded as running with. */
uint32_t fw_coal_start(uint32_t q);
/* A NOTF_COAL class command with len bytes of data: VN_CTRL_OK or VN_CTRL_ERR. */
uint8_t fw_coal_command(uint8_t cmd, const uint8_t *data, uint64_t len,
                        struct fw_ctrl_reply *rep);

/* fw_rxfilter.c: receive filter (CTRL_RX, CTRL_RX_EXTRA, CTRL_VLAN, CTRL_MAC_ADDR), the
 * current MAC, the announce state and the receive offloads.  Each command takes its data
 * (len bytes after class and command) and answers VN_CTRL_OK or VN_CTRL_ERR. */
/* At power-on: the RTL's tables are unknown, the next reset clears every entry. */
void fw_rxf_init(void);
/* Device reset: promiscuous, tables empty, the MAC back to FW_MAC, nothing pending. */
void fw_rxf_reset(void);
/* FEATURES_OK: the VLAN filter and the receive offloads as negotiated. */
void fw_rxf_features(void);
uint8_t fw_rx_command(uint8_t cmd, const uint8_t *data, uint64_t len);
uint8_t fw_mac_command(uint8_t cmd, const uint8_t *data, uint64_t len);
uint8_t fw_vlan_command(uint8_t cmd, const uint8_t *data, uint64_t len);
uint8_t fw_announce_command(uint8_t cmd, const uint8_t *data, uint64_t len);
uint8_t fw_offloads_command(uint8_t cmd, const uint8_t *data, uint64_t len);

/* fw_rss.c: RSS and hash reports (RSS, HASH_REPORT). */
void fw_rss_reset(void);
uint8_t fw_rss_config(const uint8_t *data, uint64_t len);  /* MQ RSS_CONFIG */
uint8_t fw_hash_config(const uint8_t *data, uint64_t len); /* MQ HASH_CONFIG */
/* VQ_PAIRS_SET: steering by RX_QUEUE_PAIRS again; hash reports go on (5.1.6.5.5). */
void fw_rss_steer_off(void);

#endif
