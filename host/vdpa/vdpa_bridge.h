/* vdpa_bridge: one vhost-user session mapped onto a vdpa_dev.  The vhost-user side keeps
 * the front-end's view of each vring (size, addresses, fds, started, enabled); the device
 * side runs a ring only while the front-end's view says it may: started (kick fd given),
 * addressed inside the memory table, and not failed.  Front-end ring addresses are
 * translated to guest physical addresses for the device; the device reaches the table
 * through the transport's DMA mappings, so an address outside it is a DMA fault. */
#ifndef VDPA_BRIDGE_H
#define VDPA_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vdpa_dev.h"
#include "vu_mem.h"
#include "vu_proto.h"

struct vring {
    unsigned num;
    bool addr_set, started, enabled, failed;
    uint64_t desc_uva, avail_uva, used_uva;
    uint64_t desc_gpa, avail_gpa, used_gpa;
    uint16_t base;
    int kick_fd, call_fd, err_fd;
    uint16_t seen_used; /* used idx already counted */
    uint64_t pkts, bytes;
};

struct bridge {
    struct vn_tr *tr;
    struct vdpa_dev *dev;
    int sock;
    struct vu_mem mem;
    uint64_t offered, acked;      /* virtio features (front-end view) */
    uint64_t pf_acked;            /* protocol features */
    bool pf_negotiated, owner;
    uint8_t status;
    unsigned nq;                  /* data queues: 2 * max pairs */
    struct vring vr[VDPA_MAX_QUEUES];
    int slave_fd, log_fd;
    bool verbose;
    uint64_t msgs, errors;
    /* The device's link as last reported by a config interrupt; on_link (may be NULL)
     * hears every change. */
    int link; /* -1 unknown */
    void (*on_link)(void *ctx, bool up);
    void *link_ctx;
};

/* The protocol features the bridge offers. */
uint64_t bridge_protocol_features(void);

void bridge_init(struct bridge *b, struct vn_tr *tr, struct vdpa_dev *dev, bool verbose);
/* Start serving a new connection (state of any previous one must be gone). */
void bridge_attach(struct bridge *b, int sock);
/* Handle one decoded message (fds taken from m).  0: go on; negative: the connection
 * must be closed (a reply could not be sent). */
int bridge_handle(struct bridge *b, struct vu_msg *m);
/* The connection ended: device reset, rings forgotten, memory unmapped, fds closed. */
void bridge_detach(struct bridge *b);
/* Count packets the device completed on every live ring since the last call. */
void bridge_account(struct bridge *b);
/* Signal call fds for the vectors that fired (bit v = vector v). */
void bridge_signal(struct bridge *b, uint64_t fired);
void bridge_print_stats(const struct bridge *b, FILE *out);

#endif
