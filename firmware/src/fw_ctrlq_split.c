/* fw_ctrlq_split.c: the control queue in the split layout (virtio 1.2 2.7): the avail
 * ring names each chain's head, a chain follows NEXT indices through the descriptor table,
 * and each answer is one used ring element published with the used idx. */
#include "fw_ctrlq.h"
#include "hal.h"
#include "virtio_ring.h"

/* The chain starting at head, gathered and answered; *used_len gets the bytes written.
 * 0, or -FW_EPROTO for a chain the device cannot trust, or an FDMA error. */
static int handle_chain(uint16_t head, uint32_t *used_len)
{
    const struct fw_ctrlq *cq = &fw_st.cq;
    struct fw_cq_cmd c;
    bool indirect = false;
    uint16_t idx = head;
    /* the table walked: the ring's, or one indirect table (2.7.5.3) */
    uint64_t table = cq->desc;
    uint32_t entries = cq->size;

    fw_cq_cmd_start(&c);
    for (uint32_t n = 0;; n++) {
        if (n >= entries || idx >= entries)
            return -FW_EPROTO; /* a loop, or a chain longer than its table */
        uint8_t d[VQ_DESC_SIZE];
        int r = fw_fdma_read(table + (uint64_t)idx * VQ_DESC_SIZE, d, VQ_DESC_SIZE);
        if (r)
            return r;
        uint64_t addr = fw_le64(d + VQ_DESC_ADDR);
        uint32_t len = fw_le32(d + VQ_DESC_LEN);
        uint16_t flags = fw_le16(d + VQ_DESC_FLAGS);
        if (flags & VN_DESC_F_INDIRECT) {
            uint32_t tab = fw_cq_indirect_entries(flags, len);
            if (!tab || indirect)
                return -FW_EPROTO; /* not nested either */
            indirect = true;
            table = addr;
            entries = tab;
            idx = 0;
            n = UINT32_MAX; /* the count starts again in the table */
            continue;
        }
        r = fw_cq_cmd_add(&c, addr, len, (flags & VN_DESC_F_WRITE) != 0);
        if (r)
            return r;
        if (!(flags & VN_DESC_F_NEXT))
            break;
        idx = fw_le16(d + VQ_DESC_NEXT);
    }
    return fw_cq_cmd_finish(&c, used_len);
}

static int publish_used(uint16_t head, uint32_t len)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    uint8_t e[VQ_USED_ELEM];
    uint16_t slot = cq->used_idx & (uint16_t)(cq->size - 1);

    fw_put_le32(e, head);
    fw_put_le32(e + 4, len); /* the reply and the ack byte */
    int r = fw_fdma_write(cq->used + VQ_USED_RING + (uint64_t)slot * VQ_USED_ELEM, e,
                          sizeof e);
    if (r)
        return r;
    cq->used_idx++;
    return 0;
}

/* EVENT_IDX (2.7.10): avail_event = what the device has consumed, so the driver kicks
 * for its next command; the caller reads avail idx again after it. */
static int write_avail_event(void)
{
    const struct fw_ctrlq *cq = &fw_st.cq;
    uint8_t v[2];
    fw_put_le16(v, cq->last_avail);
    return fw_fdma_write(cq->used + VQ_USED_RING + (uint64_t)cq->size * VQ_USED_ELEM, v,
                         sizeof v);
}

static int service_once(bool *again)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    bool ev = (fw_st.negotiated & FW_BIT(VN_F_EVENT_IDX)) != 0;

    uint8_t a[VQ_AVAIL_RING];
    int r = fw_fdma_read(cq->avail, a, sizeof a);
    uint16_t flags = fw_le16(a + VQ_AVAIL_FLAGS);
    uint16_t avail_idx = fw_le16(a + VQ_AVAIL_IDX);
    uint32_t done = 0;

    /* The driver cannot have more than size entries outstanding (2.7.6). */
    if (!r && (uint16_t)(avail_idx - cq->last_avail) > cq->size)
        r = -FW_EPROTO;
    while (!r && cq->last_avail != avail_idx) {
        uint8_t h[VQ_AVAIL_ELEM];
        uint16_t slot = cq->last_avail & (uint16_t)(cq->size - 1);
        r = fw_fdma_read(cq->avail + VQ_AVAIL_RING + (uint64_t)slot * VQ_AVAIL_ELEM, h,
                         sizeof h);
        if (r)
            break;
        uint16_t head = fw_le16(h);
        uint32_t used_len = 0;
        r = handle_chain(head, &used_len);
        if (!r)
            r = publish_used(head, used_len);
        if (!r) {
            cq->last_avail++;
            done++;
        }
    }
    if (done) {
        uint8_t idx[2];
        fw_put_le16(idx, cq->used_idx);
        int w = fw_fdma_write(cq->used + VQ_USED_IDX, idx, sizeof idx);
        /* With EVENT_IDX a notification the driver did not ask for is allowed (and the
         * control queue's are rare): used_event is not read. */
        if (!w && (ev || !(flags & VN_AVAIL_F_NO_INTERRUPT)) && cq->vector != VN_MSIX_NO_VECTOR)
            hal_write32(VN_FW_MSI_SEND, cq->vector);
        if (w && !r)
            r = w;
    }
    if (!r && ev && (done || !cq->aev_written)) {
        r = write_avail_event();
        cq->aev_written = true;
        *again = !r;
    }
    return r;
}

int fw_cq_split_service(void)
{
    bool again = true;
    int r = 0;
    /* with EVENT_IDX, until a re-read after the avail_event write finds nothing new */
    for (unsigned n = 0; !r && again && n < 4u; n++) {
        again = false;
        r = service_once(&again);
    }
    return r;
}
