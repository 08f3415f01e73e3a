/* Loopback traffic for vionicctl: numbered frames sent on every TX queue, steered to a
 * chosen RX pair, looped back by the simulated MAC, and accounted one by one: arrived
 * (intact, on its pair), handed back by a queue reset, or neither (lost). */
#ifndef CTL_TRAFFIC_H
#define CTL_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vn_net.h"

#define CTL_MAX_PAIRS 64u
#define CTL_MAX_FRAMES 1000000u
#define CTL_MAX_VQS (2u * CTL_MAX_PAIRS)

struct vn_model;

#define CTL_FRAME_MAX 1514u
#define CTL_SEQ_OFF 38u /* the frame's sequence number (le32) follows the steering bytes */
/* Frame seq steered to RX pair target (IPv4: the device XORs bytes 26..37, byte 37 is set
 * to make that the target); every byte is a function of seq, so a copy can be checked. */
size_t ctl_traffic_frame(uint8_t *f, uint32_t seq, unsigned target);

/* What the resets of one queue handed back. */
struct ctl_qreclaim {
    uint64_t used;   /* TX: frames sent before the reset; RX: frames received, not yet read */
    uint64_t unused; /* TX: frames never sent; RX: empty buffers */
};

struct ctl_verdict {
    uint64_t sent;       /* frames handed to the driver */
    uint64_t arrived;    /* arrived exactly once, intact, on their pair */
    uint64_t reclaimed;  /* handed back unsent by a TX reset (and never arrived) */
    uint64_t both;       /* arrived and also handed back unsent: the device sent a frame
                            without completing it (docs/queue-reset.md: never both) */
    uint64_t lost;       /* neither arrived nor handed back */
    uint64_t duplicated; /* arrived (or handed back) more than once */
    uint64_t corrupt;    /* arrived with wrong contents, on the wrong pair, or unknown */
    bool ok;
};

struct ctl_traffic {
    struct vn_net *n;
    struct vn_tr *tr;
    struct vn_model *m;
    unsigned pairs;
    uint64_t total; /* frames to send in all */
    uint64_t nseq;  /* frames sent so far */
    uint8_t *target, *arrived, *back_unused;
    uint64_t outstanding[CTL_MAX_PAIRS]; /* sent to pair p, not yet settled */
    bool paused[CTL_MAX_PAIRS];          /* no new frames to pair p */
    uint64_t settled, corrupt, last_progress;
    unsigned rr;
    struct ctl_qreclaim q[CTL_MAX_VQS];
    /* frames the MAC sent while the model's receive queue was full */
    struct ctl_frame *bl;
    size_t bl_head, bl_count, bl_cap;
    int err;
};

/* Before vn_net_open: loop the model's MAC back to itself. */
int ctl_traffic_init(struct ctl_traffic *t, struct vn_tr *tr, uint64_t total);
/* After vn_net_open. */
void ctl_traffic_attach(struct ctl_traffic *t, struct vn_net *n);
void ctl_traffic_fini(struct ctl_traffic *t);

/* Send what the windows allow, let the device run, take what arrived.  rx_skip: a pair
 * not to read (-1: none), so that frames wait in its ring for a reset to hand back. */
int ctl_traffic_step(struct ctl_traffic *t, int rx_skip);
/* Stop sending to pair p and let what is in flight to it land (before its RX reset, so
 * that no frame meets the queue in reset: the device would rightly drop it). */
int ctl_traffic_quiesce(struct ctl_traffic *t, unsigned p);
/* Send the rest and wait until every frame is settled or nothing moves any more. */
int ctl_traffic_finish(struct ctl_traffic *t);
/* Queue up to count frames for pair target on TX pair qp without letting time pass;
 * returns how many were queued or -errno. */
int ctl_traffic_burst(struct ctl_traffic *t, unsigned qp, unsigned target, unsigned count);
/* Frames sent to pair p and not settled. */
uint64_t ctl_traffic_outstanding(const struct ctl_traffic *t, unsigned p);
/* Hold every sender until all frames sent so far have landed, leaving pair p unread, so
 * that its ring holds them for a reset to hand back.  Pair p stays held afterwards. */
int ctl_traffic_land(struct ctl_traffic *t, unsigned p);
/* Send no new frames to pair p. */
void ctl_traffic_pause(struct ctl_traffic *t, unsigned p);
/* Send to pair p again after ctl_traffic_quiesce. */
void ctl_traffic_resume(struct ctl_traffic *t, unsigned p);
/* Nothing has settled for a long time (device time): the traffic is stuck. */
bool ctl_traffic_stalled(const struct ctl_traffic *t);

/* The vn_net_reclaim_fn to pass to resets (ctx: the ctl_traffic). */
void ctl_traffic_reclaim(void *ctx, unsigned vq, const void *frame, size_t len, int used);

void ctl_traffic_verdict(const struct ctl_traffic *t, struct ctl_verdict *v);

#endif
