/* fw_ctrlq_packed.c: the control queue in the packed layout (virtio 1.2 2.8), when
 * RING_PACKED was negotiated.  One ring of descriptors is both avail and used: the device
 * keeps the next slot to look at and the next slot to write a used descriptor to, each
 * with its wrap counter.  Serving in order, one used descriptor per chain over the
 * chain's first slot, the used slot is always the slot the chain started at. */
#include "fw_ctrlq.h"
#include "hal.h"
#include "virtio_ring.h"

_Static_assert(PVQ_DESC_LEN + 4u == VN_PDESC_ID_OFF, "len and id: one FDMA write");
_Static_assert(VN_PDESC_ID_OFF + 2u == VN_PDESC_FLAGS_OFF, "flags after id");

/* Slot idx moved on by n (at most the size), flipping *wrap when it passes the end. */
static uint16_t advance(uint16_t idx, uint32_t n, bool *wrap)
{
    uint32_t i = (uint32_t)idx + n;
    if (i >= fw_st.cq.size) {
        i -= fw_st.cq.size;
        *wrap = !*wrap;
    }
    return (uint16_t)i;
}

static int read_desc(uint16_t slot, uint8_t *d)
{
    return fw_fdma_read(fw_st.cq.desc + (uint64_t)slot * PVQ_DESC_SIZE, d, PVQ_DESC_SIZE);
}

/* 2.8.1: AVAIL equal to the driver's wrap counter, USED its inverse.  A used descriptor
 * (AVAIL = USED) of either lap is not available. */
static bool available(const uint8_t *d, bool wrap)
{
    uint16_t f = fw_le16(d + VN_PDESC_FLAGS_OFF);
    bool avail = (f & VN_PDESC_F_AVAIL) != 0, used = (f & VN_PDESC_F_USED) != 0;
    return avail == wrap && used != wrap;
}

/* An indirect table: its entries in order.  WRITE is the only flag they have; the device
 * ignores the others, NEXT and INDIRECT too, and their id (2.8.7). */
static int walk_table(struct fw_cq_cmd *c, uint64_t table, uint32_t entries)
{
    for (uint32_t i = 0; i < entries; i++) {
        uint8_t d[PVQ_DESC_SIZE];
        int r = fw_fdma_read(table + (uint64_t)i * PVQ_DESC_SIZE, d, sizeof d);
        if (r)
            return r;
        uint16_t flags = fw_le16(d + VN_PDESC_FLAGS_OFF);
        r = fw_cq_cmd_add(c, fw_le64(d + PVQ_DESC_ADDR), fw_le32(d + PVQ_DESC_LEN),
                          (flags & VN_DESC_F_WRITE) != 0);
        if (r)
            return r;
    }
    return 0;
}

/* The chain whose first descriptor d (available) is at last_avail: gathered and
 * answered.  *id gets its Buffer ID, from its last descriptor (2.8.6); *slots the ring
 * slots it takes; *used_len the bytes written.  Only the first descriptor's flags say
 * whether the chain is available: the driver makes it available after the rest (2.8.6,
 * 2.8.17), which is read after it.  0, or -FW_EPROTO, or an FDMA error. */
static int handle_chain(uint8_t *d, uint16_t *id, uint16_t *slots, uint32_t *used_len)
{
    const struct fw_ctrlq *cq = &fw_st.cq;
    struct fw_cq_cmd c;
    uint16_t slot = cq->last_avail;

    fw_cq_cmd_start(&c);
    for (uint32_t n = 1;; n++) {
        uint64_t addr = fw_le64(d + PVQ_DESC_ADDR);
        uint32_t len = fw_le32(d + PVQ_DESC_LEN);
        uint16_t flags = fw_le16(d + VN_PDESC_FLAGS_OFF);
        int r;
        if (flags & VN_DESC_F_INDIRECT) {
            /* alone in its chain, so never with NEXT (2.8.5, 2.8.19); one ring slot, and
             * its WRITE flag means nothing (2.8.7) */
            uint32_t entries = fw_cq_indirect_entries(flags, len);
            if (!entries || n > 1)
                return -FW_EPROTO;
            r = walk_table(&c, addr, entries);
        } else {
            r = fw_cq_cmd_add(&c, addr, len, (flags & VN_DESC_F_WRITE) != 0);
        }
        if (r)
            return r;
        if (!(flags & VN_DESC_F_NEXT)) {
            *id = fw_le16(d + VN_PDESC_ID_OFF);
            *slots = (uint16_t)n;
            break;
        }
        if (n >= cq->size)
            return -FW_EPROTO; /* a chain longer than the ring */
        slot = slot + 1u == cq->size ? 0 : (uint16_t)(slot + 1u);
        r = read_desc(slot, d);
        if (r)
            return r;
    }
    return fw_cq_cmd_finish(&c, used_len);
}

/* One used descriptor at used_idx (2.8.3, 2.8.4, 2.8.6): id and len first, then the flags
 * that hand it to the driver, so that they never show it used with the old id or len. */
static int publish_used(uint16_t id, uint32_t len, uint16_t slots)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    uint64_t d = cq->desc + (uint64_t)cq->used_idx * PVQ_DESC_SIZE;
    uint8_t e[6];
    fw_put_le32(e, len);
    fw_put_le16(e + 4, id);
    int r = fw_fdma_write(d + PVQ_DESC_LEN, e, sizeof e);
    if (r)
        return r;
    uint16_t f = (cq->used_wrap ? VN_PDESC_F_AVAIL | VN_PDESC_F_USED : 0) |
                 (len ? VN_DESC_F_WRITE : 0);
    uint8_t fl[2];
    fw_put_le16(fl, f);
    r = fw_fdma_write(d + VN_PDESC_FLAGS_OFF, fl, sizeof fl);
    if (r)
        return r;
    bool wrap = cq->used_wrap;
    cq->used_idx = advance(cq->used_idx, slots, &cq->used_wrap);
    if (wrap != cq->used_wrap)
        cq->signalled_valid = false;
    return 0;
}

/* vring_need_event (2.7.10) over ring slots, as QEMU's vring_packed_need_event: an event
 * slot whose wrap bit is not the used wrap counter is of the previous lap, size lower. */
static bool need_event(uint16_t off_wrap, uint16_t new_idx, uint16_t old_idx)
{
    const struct fw_ctrlq *cq = &fw_st.cq;
    uint16_t off = off_wrap & PVQ_IDX_MASK;
    if ((bool)(off_wrap >> PVQ_WRAP_SHIFT) != cq->used_wrap)
        off = (uint16_t)(off - cq->size);
    return (uint16_t)(new_idx - off - 1u) < (uint16_t)(new_idx - old_idx);
}

/* After used descriptors were written: the driver's event suppression (2.8.10, 2.8.14),
 * read only now so that a driver re-enabling notifications before it looks for used
 * descriptors again is seen.  The decision is QEMU's virtio_packed_should_notify. */
static int notify(void)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    uint8_t e[PVQ_EVENT_SIZE];
    int r = fw_fdma_read(cq->avail, e, sizeof e);
    if (r)
        return r;
    uint16_t off_wrap = fw_le16(e + PVQ_EVENT_OFF_WRAP);
    uint16_t flags = fw_le16(e + PVQ_EVENT_FLAGS) & PVQ_EVENT_FLAGS_MASK;
    uint16_t old = cq->signalled;
    bool valid = cq->signalled_valid;
    cq->signalled = cq->used_idx;
    cq->signalled_valid = true;

    bool want;
    if (flags == VN_EVENT_F_DISABLE)
        want = false;
    else if (flags == VN_EVENT_F_DESC && (fw_st.negotiated & FW_BIT(VN_F_EVENT_IDX)))
        want = !valid || need_event(off_wrap, cq->used_idx, old);
    else
        want = true; /* ENABLE; DESC without EVENT_IDX or the reserved 3: one notification
                      * too many is harmless, one too few leaves the driver waiting */
    if (want && cq->vector != VN_MSIX_NO_VECTOR)
        hal_write32(VN_FW_MSI_SEND, cq->vector);
    return 0;
}

int fw_cq_packed_enable(void)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    cq->avail_wrap = cq->used_wrap = true;
    cq->signalled_valid = false;
    cq->signalled = 0;
    /* The device's event suppression (2.8.10), written once here and never again: ENABLE,
     * so the driver kicks for every command.  Even with EVENT_IDX the device does not ask
     * for kicks at one slot only (DESC), as the split layout's avail_event does: commands
     * are rare and each waits for its answer, so a kick saved is worth nothing against one
     * missed.  Written rather than assumed, since the area's memory is the driver's. */
    uint8_t e[PVQ_EVENT_SIZE];
    fw_put_le16(e + PVQ_EVENT_OFF_WRAP, 0);
    fw_put_le16(e + PVQ_EVENT_FLAGS, VN_EVENT_F_ENABLE);
    return fw_fdma_write(cq->used, e, sizeof e);
}

int fw_cq_packed_service(void)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    uint32_t done = 0;
    int r = 0;
    /* At most a ring's worth of chains a call: kicks are never suppressed, so a chain the
     * driver adds while these are served comes with a kick of its own. */
    while (done < cq->size) {
        uint8_t d[PVQ_DESC_SIZE];
        r = read_desc(cq->last_avail, d);
        if (r || !available(d, cq->avail_wrap))
            break;
        uint16_t id = 0, slots = 0;
        uint32_t used_len = 0;
        r = handle_chain(d, &id, &slots, &used_len);
        if (!r)
            r = publish_used(id, used_len, slots);
        if (r)
            break;
        cq->last_avail = advance(cq->last_avail, slots, &cq->avail_wrap);
        done++;
    }
    if (done) {
        int w = notify();
        if (!r)
            r = w;
    }
    return r;
}
