/* fw_ctrlq.c: the control virtqueue (virtio 1.2 5.1.6.5), served through the FDMA
 * mailbox.  The ring belongs to a driver that may be buggy or hostile: every index and
 * length read from it is checked, and every walk is bounded by the queue size. */
#include "fw_internal.h"
#include "hal.h"
#include "virtio_ring.h"

/* Readable bytes kept from a command: class, command and the data of every command the
 * firmware acts on (at most 12 bytes, VQ_SET).  Longer commands are answered from their
 * header alone. */
#define CQ_CMD_MAX VN_FDMA_MAX
#define CQ_HDR 2u               /* u8 class, u8 command */
#define CQ_VQ_PAIRS_LEN 2u      /* le16 virtqueue_pairs */
#define CQ_DATA_MAX 12u         /* virtio_net_ctrl_coal_vq */

_Static_assert(CQ_HDR + CQ_DATA_MAX <= CQ_CMD_MAX, "every command acted on is kept whole");
_Static_assert(FW_CTRL_REPLY_MAX <= VN_FDMA_MAX, "a reply part is one FDMA write");

/* A device-writable descriptor that holds part of a reply. */
struct cq_seg {
    uint64_t addr;
    uint32_t len;
};

void fw_ctrlq_reset(void)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    cq->live = false;
    cq->broken = false;
    cq->size = 0;
    cq->vector = VN_MSIX_NO_VECTOR;
    cq->last_avail = 0;
    cq->used_idx = 0;
    cq->desc = cq->avail = cq->used = 0;
}

void fw_ctrlq_enable(uint32_t q)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    hal_write32(VN_FW_QS_SEL, q);
    cq->size = (uint16_t)hal_read32(VN_FW_QS_SIZE);
    cq->vector = (uint16_t)hal_read32(VN_FW_QS_MSIX_VECTOR);
    cq->desc = fw_u64(hal_read32(VN_FW_QS_DESC_LO), hal_read32(VN_FW_QS_DESC_HI));
    cq->avail = fw_u64(hal_read32(VN_FW_QS_DRIVER_LO), hal_read32(VN_FW_QS_DRIVER_HI));
    cq->used = fw_u64(hal_read32(VN_FW_QS_DEVICE_LO), hal_read32(VN_FW_QS_DEVICE_HI));
    cq->last_avail = 0;
    cq->used_idx = 0;
    cq->broken = false;
    cq->live = true;
}

static uint8_t mq_command(uint8_t cmd, const uint8_t *data, uint64_t len)
{
    if (cmd == VN_CTRL_MQ_VQ_PAIRS_SET && (fw_st.negotiated & FW_BIT(VN_F_MQ)) &&
        len == CQ_VQ_PAIRS_LEN) {
        uint16_t pairs = fw_le16(data);
        if (pairs >= 1 && pairs <= fw_st.max_pairs) {
            /* 5.1.6.5.5: in effect before the buffer is marked used */
            hal_write32(VN_FW_RX_QUEUE_PAIRS, pairs);
            return VN_CTRL_OK;
        }
    }
    return VN_CTRL_ERR;
}

/* cmd holds the first min(len, CQ_CMD_MAX) readable bytes; a command that answers with
 * data fills rep (no more than rep->room bytes). */
static uint8_t execute(const uint8_t *cmd, uint64_t len, struct fw_ctrl_reply *rep)
{
    if (len < CQ_HDR)
        return VN_CTRL_ERR;
    switch (cmd[0]) {
    case VN_CTRL_CLASS_MQ:
        return mq_command(cmd[1], cmd + CQ_HDR, len - CQ_HDR);
    case VN_CTRL_CLASS_NOTF_COAL:
        return fw_coal_command(cmd[1], cmd + CQ_HDR, len - CQ_HDR, rep);
    default:
        return VN_CTRL_ERR;
    }
}

/* One command chain: device-readable class, command and data, then the device-writable
 * part: command-specific reply data at its start, the ack in its last byte (5.1.6.5).
 * *used_len gets the bytes written, reply and ack.  0, or -FW_EPROTO for a chain the
 * device cannot trust, or an FDMA error. */
static int handle_chain(uint16_t head, uint32_t *used_len)
{
    const struct fw_ctrlq *cq = &fw_st.cq;
    uint8_t cmd[CQ_CMD_MAX];
    /* The first non-empty writable descriptors: each holds a byte at least, so these
     * cover any reply. */
    struct cq_seg seg[FW_CTRL_REPLY_MAX];
    uint32_t kept = 0, nseg = 0;
    uint64_t readable = 0, writable = 0, ack_addr = 0;
    bool in_writable = false, indirect = false;
    uint16_t idx = head;
    /* the table walked: the ring's, or one indirect table (2.7.5.3) */
    uint64_t table = cq->desc;
    uint32_t entries = cq->size;

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
            /* 2.7.5.3.2: not without the feature, not nested, not with NEXT */
            if (!(fw_st.negotiated & FW_BIT(VN_F_INDIRECT_DESC)) || indirect ||
                (flags & VN_DESC_F_NEXT) || len == 0 || len % VQ_DESC_SIZE ||
                len / VQ_DESC_SIZE > 0xffffu)
                return -FW_EPROTO;
            indirect = true;
            table = addr;
            entries = len / VQ_DESC_SIZE;
            idx = 0;
            n = UINT32_MAX; /* the count starts again in the table */
            continue;
        }
        if (flags & VN_DESC_F_WRITE) {
            in_writable = true;
            if (len) {
                if (nseg < FW_CTRL_REPLY_MAX) {
                    seg[nseg].addr = addr;
                    seg[nseg].len = len;
                    nseg++;
                }
                writable += len; /* at most size * 4 GiB: no overflow */
                ack_addr = addr + len - 1;
            }
        } else {
            if (in_writable)
                return -FW_EPROTO; /* 2.7.4.2: readable descriptors come first */
            uint32_t take = len < CQ_CMD_MAX - kept ? len : CQ_CMD_MAX - kept;
            if (take) {
                r = fw_fdma_read(addr, cmd + kept, take);
                if (r)
                    return r;
                kept += take;
            }
            readable += len;
        }
        if (!(flags & VN_DESC_F_NEXT))
            break;
        idx = fw_le16(d + VQ_DESC_NEXT);
    }
    if (!writable)
        return -FW_EPROTO; /* no ack byte */

    struct fw_ctrl_reply rep;
    rep.room = writable - 1 < FW_CTRL_REPLY_MAX ? (uint32_t)(writable - 1) : FW_CTRL_REPLY_MAX;
    rep.len = 0;
    uint8_t ack = execute(cmd, readable, &rep);
    if (rep.len > rep.room)
        ack = VN_CTRL_ERR; /* a reply that does not fit (commands check rep.room first) */
    if (ack != VN_CTRL_OK)
        rep.len = 0; /* an error carries no reply */

    /* The reply first, then the ack after it: both before the buffer is used. */
    uint32_t done = 0;
    for (uint32_t i = 0; i < nseg && done < rep.len; i++) {
        uint32_t part = rep.len - done < seg[i].len ? rep.len - done : seg[i].len;
        int r = fw_fdma_write(seg[i].addr, rep.data + done, part);
        if (r)
            return r;
        done += part;
    }
    int r = fw_fdma_write(ack_addr, &ack, 1);
    if (r)
        return r;
    *used_len = rep.len + 1;
    return 0;
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

void fw_ctrlq_service(void)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    if (!cq->live || cq->broken || !(fw_st.status & VN_STATUS_DRIVER_OK))
        return;

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
        if (!w && !(flags & VN_AVAIL_F_NO_INTERRUPT) && cq->vector != VN_MSIX_NO_VECTOR)
            hal_write32(VN_FW_MSI_SEND, cq->vector);
        if (w && !r)
            r = w;
    }
    if (r) {
        cq->broken = true;
        fw_set_needs_reset();
    }
}
