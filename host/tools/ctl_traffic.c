/* Loopback traffic and its accounting for vionicctl (see ctl_traffic.h). */
#include "ctl_traffic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vn_model.h"
#include "vn_transport.h"

#define FRAME_MIN 60u
#define FRAME_MAX 1514u
#define SEQ_OFF 38u /* after the bytes the device steers by */
/* Give up waiting when nothing settles for this long (4 ms of device time): every frame
 * in flight has long arrived or been dropped by then. */
#define STALL_CYCLES 1000000u
#define STEP_NS 2000u
#define WINDOW 64u /* frames in flight to one RX pair */

struct ctl_frame {
    uint8_t *data;
    uint32_t len;
};

static const uint8_t src_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

/* Frame seq for RX pair target: IPv4, so the device steers it by the XOR of bytes 26..37
 * (docs/architecture.md, vq_engines RX), which byte 37 makes equal to target. */
size_t ctl_traffic_frame(uint8_t *f, uint32_t seq, unsigned target)
{
    size_t len = FRAME_MIN + (size_t)(seq * 37u) % (FRAME_MAX - FRAME_MIN + 1);
    memset(f, 0xff, 6);
    memcpy(f + 6, src_mac, 6);
    f[12] = 0x08;
    f[13] = 0x00;
    for (size_t k = 14; k < len; k++)
        f[k] = (uint8_t)(seq * 7u + k);
    f[14] = 0x45;
    memcpy(f + SEQ_OFF, &seq, sizeof seq);
    uint8_t x = 0;
    for (unsigned i = 26; i < 37; i++)
        x ^= f[i];
    f[37] = (uint8_t)(x ^ target);
    return len;
}

/* The sequence number of a frame whose every byte is as sent; -1 otherwise. */
static int64_t frame_seq(const struct ctl_traffic *t, const void *frame, size_t len)
{
    uint8_t want[FRAME_MAX];
    uint32_t seq;

    if (len < SEQ_OFF + sizeof seq || len > FRAME_MAX)
        return -1;
    memcpy(&seq, (const uint8_t *)frame + SEQ_OFF, sizeof seq);
    if (seq >= t->nseq || ctl_traffic_frame(want, seq, t->target[seq]) != len ||
        memcmp(want, frame, len))
        return -1;
    return seq;
}

static void settle_once(struct ctl_traffic *t, uint64_t seq)
{
    if (t->arrived[seq] + t->back_unused[seq] != 1)
        return;
    t->outstanding[t->target[seq]]--;
    t->settled++;
    t->last_progress = vn_model_cycles(t->m);
}

static void bump(uint8_t *c)
{
    if (*c < UINT8_MAX)
        (*c)++;
}

static void got(struct ctl_traffic *t, unsigned pair, const void *frame, size_t len)
{
    int64_t seq = frame_seq(t, frame, len);
    if (seq < 0 || t->target[seq] != pair) {
        t->corrupt++;
        return;
    }
    bump(&t->arrived[seq]);
    settle_once(t, (uint64_t)seq);
}

void ctl_traffic_reclaim(void *ctx, unsigned vq, const void *frame, size_t len, int used)
{
    struct ctl_traffic *t = ctx;

    if (vq < CTL_MAX_VQS) {
        if (used)
            t->q[vq].used++;
        else
            t->q[vq].unused++;
    }
    if (vq % 2 == 0) {
        if (used)
            got(t, vq / 2, frame, len);
        return;
    }
    int64_t seq = frame_seq(t, frame, len);
    if (seq < 0) {
        t->corrupt++;
        return;
    }
    if (!used) { /* sent ones arrive on their RX queue and are counted there */
        bump(&t->back_unused[seq]);
        settle_once(t, (uint64_t)seq);
    }
}

/* ---- the looped-back MAC ------------------------------------------------------------- */

static void pump(struct ctl_traffic *t)
{
    while (t->bl_count) {
        struct ctl_frame *f = &t->bl[t->bl_head];
        if (vn_model_mac_rx(t->m, f->data, f->len))
            return; /* the model's queue is full: later, nothing is dropped */
        free(f->data);
        t->bl_head = (t->bl_head + 1) % t->bl_cap;
        t->bl_count--;
    }
}

static void loop_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct ctl_traffic *t = ctx;

    if (!t->bl_count && vn_model_mac_rx(t->m, frame, len) == 0)
        return;
    if (t->bl_count == t->bl_cap) {
        size_t ncap = t->bl_cap ? 2 * t->bl_cap : 256;
        struct ctl_frame *nb = malloc(ncap * sizeof *nb);
        if (!nb) {
            t->err = -ENOMEM;
            return;
        }
        for (size_t i = 0; i < t->bl_count; i++)
            nb[i] = t->bl[(t->bl_head + i) % t->bl_cap];
        free(t->bl);
        t->bl = nb;
        t->bl_head = 0;
        t->bl_cap = ncap;
    }
    uint8_t *c = malloc(len);
    if (!c) {
        t->err = -ENOMEM;
        return;
    }
    memcpy(c, frame, len);
    t->bl[(t->bl_head + t->bl_count++) % t->bl_cap] = (struct ctl_frame){c, len};
}

int ctl_traffic_init(struct ctl_traffic *t, struct vn_tr *tr, uint64_t total)
{

    memset(t, 0, sizeof *t);
    if (total > CTL_MAX_FRAMES)
        return -EINVAL;
    t->tr = tr;
    t->m = vn_tr_sim_model(tr);
    t->total = total;
    size_t n = total ? (size_t)total : 1;
    t->target = calloc(n, 1);
    t->arrived = calloc(n, 1);
    t->back_unused = calloc(n, 1);
    if (!t->m || !t->target || !t->arrived || !t->back_unused) {
        ctl_traffic_fini(t);
        return t->m ? -ENOMEM : -ENODEV;
    }
    struct vn_model_mac mac = {t, loop_tx}; /* the model keeps a copy */
    vn_model_set_mac(t->m, &mac);
    return 0;
}

void ctl_traffic_attach(struct ctl_traffic *t, struct vn_net *n)
{
    t->n = n;
    t->pairs = vn_net_queue_pairs(n);
    if (t->pairs > CTL_MAX_PAIRS)
        t->pairs = CTL_MAX_PAIRS;
    t->last_progress = vn_model_cycles(t->m);
}

void ctl_traffic_fini(struct ctl_traffic *t)
{
    if (t->m)
        vn_model_set_mac(t->m, NULL);
    while (t->bl_count) {
        free(t->bl[t->bl_head].data);
        t->bl_head = (t->bl_head + 1) % t->bl_cap;
        t->bl_count--;
    }
    free(t->bl);
    free(t->target);
    free(t->arrived);
    free(t->back_unused);
    t->bl = NULL;
    t->target = t->arrived = t->back_unused = NULL;
}

uint64_t ctl_traffic_outstanding(const struct ctl_traffic *t, unsigned p)
{
    return p < CTL_MAX_PAIRS ? t->outstanding[p] : 0;
}

/* Frame nseq on TX pair qp for pair target. */
static int send_one(struct ctl_traffic *t, unsigned qp, unsigned target)
{
    uint8_t f[FRAME_MAX];
    uint64_t seq = t->nseq;

    if (seq >= t->total)
        return -ENOSPC;
    t->target[seq] = (uint8_t)target;
    size_t len = ctl_traffic_frame(f, (uint32_t)seq, target);
    int rc = vn_net_tx(t->n, qp, f, len);
    if (rc)
        return rc;
    t->nseq++;
    t->outstanding[target]++;
    return 0;
}

int ctl_traffic_burst(struct ctl_traffic *t, unsigned qp, unsigned target, unsigned count)
{
    unsigned done = 0;
    int rc = 0;

    while (done < count && (rc = send_one(t, qp, target)) == 0)
        done++;
    return rc && rc != -EAGAIN && rc != -ENOSPC ? rc : (int)done;
}

/* Room for one more frame to pair p: never more in flight to it than its ring holds, so
 * that the device always finds a buffer, and a modest window besides, so that traffic
 * keeps flowing across the resets instead of all of it waiting in the TX rings. */
static bool room(const struct ctl_traffic *t, unsigned p)
{
    uint64_t ring = vn_net_ring_size(t->n, 2 * p);
    return !t->paused[p] && t->outstanding[p] < (ring < WINDOW ? ring : WINDOW);
}

static int fill(struct ctl_traffic *t)
{
    bool full[CTL_MAX_PAIRS] = {0};
    bool progress = true;

    while (progress && t->nseq < t->total) {
        progress = false;
        for (unsigned qp = 0; qp < t->pairs && t->nseq < t->total; qp++) {
            if (full[qp] || vn_net_queue_is_reset(t->n, 2 * qp + 1))
                continue;
            unsigned k = 0;
            while (k < t->pairs && !room(t, (t->rr + k) % t->pairs))
                k++;
            if (k == t->pairs)
                return 0;
            int rc = send_one(t, qp, (t->rr + k) % t->pairs);
            if (rc == -EAGAIN) {
                full[qp] = true;
                continue;
            }
            if (rc)
                return rc;
            t->rr = (t->rr + k + 1) % t->pairs;
            progress = true;
        }
    }
    return 0;
}

int ctl_traffic_step(struct ctl_traffic *t, int rx_skip)
{
    uint8_t f[2048];
    size_t len;
    int rc;

    if ((rc = fill(t)))
        return rc;
    pump(t);
    /* A ring left unread keeps vn_net_wait from waiting at all: let time pass instead. */
    if (rx_skip >= 0)
        vn_tr_delay(t->tr, STEP_NS);
    else if ((rc = vn_net_wait(t->n, STEP_NS)))
        return rc;
    if ((rc = vn_net_poll(t->n)))
        return rc;
    pump(t);
    for (unsigned p = 0; p < t->pairs; p++) {
        if ((int)p == rx_skip || vn_net_queue_is_reset(t->n, 2 * p))
            continue;
        while ((rc = vn_net_rx(t->n, p, f, sizeof f, &len)) == 0 || rc == -EMSGSIZE) {
            if (rc)
                t->corrupt++; /* longer than any frame sent */
            else
                got(t, p, f, len);
        }
        if (rc != -EAGAIN)
            return rc;
    }
    return t->err;
}

bool ctl_traffic_stalled(const struct ctl_traffic *t)
{
    return vn_model_cycles(t->m) - t->last_progress > STALL_CYCLES;
}

void ctl_traffic_pause(struct ctl_traffic *t, unsigned p)
{
    if (p < CTL_MAX_PAIRS)
        t->paused[p] = true;
    t->last_progress = vn_model_cycles(t->m);
}

void ctl_traffic_resume(struct ctl_traffic *t, unsigned p)
{
    if (p < CTL_MAX_PAIRS)
        t->paused[p] = false;
    t->last_progress = vn_model_cycles(t->m);
}

int ctl_traffic_quiesce(struct ctl_traffic *t, unsigned p)
{
    int rc;

    t->paused[p] = true;
    t->last_progress = vn_model_cycles(t->m);
    while (t->outstanding[p] && !ctl_traffic_stalled(t))
        if ((rc = ctl_traffic_step(t, -1)))
            return rc;
    return 0;
}

int ctl_traffic_finish(struct ctl_traffic *t)
{
    int rc;

    for (unsigned p = 0; p < CTL_MAX_PAIRS; p++)
        t->paused[p] = false;
    t->last_progress = vn_model_cycles(t->m);
    while ((t->settled < t->nseq || t->nseq < t->total || t->bl_count) && !ctl_traffic_stalled(t))
        if ((rc = ctl_traffic_step(t, -1)))
            return rc;
    return 0;
}

void ctl_traffic_verdict(const struct ctl_traffic *t, struct ctl_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->sent = t->nseq;
    v->corrupt = t->corrupt;
    for (uint64_t s = 0; s < t->nseq; s++) {
        unsigned a = t->arrived[s], b = t->back_unused[s];
        if (a > 1 || b > 1)
            v->duplicated++;
        else if (a && b)
            v->both++;
        else if (a)
            v->arrived++;
        else if (b)
            v->reclaimed++;
        else
            v->lost++;
    }
    v->ok = !v->lost && !v->duplicated && !v->both && !v->corrupt && v->sent == t->total;
}

int ctl_traffic_land(struct ctl_traffic *t, unsigned p)
{
    bool busy = true;
    int rc;

    for (unsigned i = 0; i < CTL_MAX_PAIRS; i++)
        t->paused[i] = true;
    t->last_progress = vn_model_cycles(t->m);
    while (busy && !ctl_traffic_stalled(t)) {
        if ((rc = ctl_traffic_step(t, (int)p)))
            return rc;
        busy = t->bl_count || vn_model_mac_rx_pending(t->m);
        for (unsigned qp = 0; qp < t->pairs; qp++)
            busy = busy || vn_net_tx_inflight(t->n, qp);
    }
    /* the last frame off the MAC still has to be written into its buffer */
    vn_tr_delay(t->tr, STEP_NS);
    for (unsigned i = 0; i < CTL_MAX_PAIRS; i++)
        t->paused[i] = i == p;
    return 0;
}
