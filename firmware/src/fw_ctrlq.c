/* fw_ctrlq.c: the control virtqueue (virtio 1.2 5.1.6.5), served through the FDMA
 * mailbox.  The ring belongs to a driver that may be buggy or hostile: every index and
 * length read from it is checked, and every walk is bounded by the queue size. */
#include "fw_internal.h"
#include "hal.h"
#include "virtio_ring.h"

/* Readable bytes a command may have: class, command and data, read in FDMA_MAX pieces.
 * The longest the firmware must take whole is an RSS_CONFIG with the largest table and
 * key; a MAC TABLE_SET fills the rest (up to 83 addresses, more than the RTL table has).
 * A longer command is answered ERR without being read. */
#define CQ_CMD_MAX 512u
#define CQ_HDR 2u               /* u8 class, u8 command */
#define CQ_VQ_PAIRS_LEN 2u      /* le16 virtqueue_pairs */
#define CQ_RSS_MAX (8u + 2u * VN_RSS_TABLE_LEN + 3u + VN_RSS_KEY_LEN) /* rss_config */

_Static_assert(CQ_HDR + CQ_RSS_MAX <= CQ_CMD_MAX, "every command acted on is kept whole");
_Static_assert(FW_CTRL_REPLY_MAX <= VN_FDMA_MAX, "a reply part is one FDMA write");

/* The command being served: in DMEM rather than on the stack, whose reserve is small. */
static uint8_t cq_cmd[CQ_CMD_MAX];

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
    cq->aev_written = false;
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
    cq->aev_written = false;
    cq->live = true;
}

static uint8_t vq_pairs_set(const uint8_t *data, uint64_t len)
{
    if (!(fw_st.negotiated & FW_BIT(VN_F_MQ)) || len != CQ_VQ_PAIRS_LEN)
        return VN_CTRL_ERR;
    uint16_t pairs = fw_le16(data);
    if (pairs < 1 || pairs > fw_st.max_pairs)
        return VN_CTRL_ERR;
    /* 5.1.6.5.5: in effect before the buffer is marked used, and the most recent MQ
     * command decides: RX_QUEUE_PAIRS steers again, not the RSS table. */
    hal_write32(VN_FW_RX_QUEUE_PAIRS, pairs);
    fw_rss_steer_off();
    return VN_CTRL_OK;
}

static uint8_t mq_command(uint8_t cmd, const uint8_t *data, uint64_t len)
{
    switch (cmd) {
    case VN_CTRL_MQ_VQ_PAIRS_SET:
        return vq_pairs_set(data, len);
    case VN_CTRL_MQ_RSS_CONFIG:
        return fw_rss_config(data, len);
    case VN_CTRL_MQ_HASH_CONFIG:
        return fw_hash_config(data, len);
    default:
        return VN_CTRL_ERR;
    }
}

/* cmd holds all len readable bytes (len <= CQ_CMD_MAX); a command that answers with data
 * fills rep (no more than rep->room bytes).  Each command checks that its feature was
 * negotiated and that its data has exactly its length. */
static uint8_t execute(const uint8_t *cmd, uint64_t len, struct fw_ctrl_reply *rep)
{
    if (len < CQ_HDR)
        return VN_CTRL_ERR;
    const uint8_t *data = cmd + CQ_HDR;
    uint64_t dlen = len - CQ_HDR;
    switch (cmd[0]) {
    case VN_CTRL_CLASS_RX:
        return fw_rx_command(cmd[1], data, dlen);
    case VN_CTRL_CLASS_MAC:
        return fw_mac_command(cmd[1], data, dlen);
    case VN_CTRL_CLASS_VLAN:
        return fw_vlan_command(cmd[1], data, dlen);
    case VN_CTRL_CLASS_ANNOUNCE:
        return fw_announce_command(cmd[1], data, dlen);
    case VN_CTRL_CLASS_MQ:
        return mq_command(cmd[1], data, dlen);
    case VN_CTRL_CLASS_GUEST_OFFLOADS:
        return fw_offloads_command(cmd[1], data, dlen);
    case VN_CTRL_CLASS_NOTF_COAL:
        return fw_coal_command(cmd[1], data, dlen, rep);
    default:
        return VN_CTRL_ERR;
    }
}

/* len bytes of host memory at addr into buf, in mailbox-sized pieces. */
static int read_host(uint64_t addr, uint8_t *buf, uint32_t len)
{
    for (uint32_t done = 0; done < len;) {
        uint32_t n = len - done < VN_FDMA_MAX ? len - done : VN_FDMA_MAX;
        int r = fw_fdma_read(addr + done, buf + done, n);
        if (r)
            return r;
        done += n;
    }
    return 0;
}

/* One command chain: device-readable class, command and data, then the device-writable
 * part: command-specific reply data at its start, the ack in its last byte (5.1.6.5).
 * *used_len gets the bytes written, reply and ack.  0, or -FW_EPROTO for a chain the
 * device cannot trust, or an FDMA error. */
static int handle_chain(uint16_t head, uint32_t *used_len)
{
    const struct fw_ctrlq *cq = &fw_st.cq;
    uint8_t *cmd = cq_cmd;
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
            readable += len; /* at most size * 4 GiB: no overflow */
            /* Once the command is too long to keep it will not be executed: nothing more
             * of it is read (a descriptor may claim 4 GiB). */
            if (len && readable <= CQ_CMD_MAX) {
                r = read_host(addr, cmd + kept, len);
                if (r)
                    return r;
                kept += len;
            }
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
    uint8_t ack = readable <= CQ_CMD_MAX ? execute(cmd, readable, &rep) : VN_CTRL_ERR;
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

static void service_once(bool *again);

void fw_ctrlq_service(void)
{
    bool again = true;
    /* with EVENT_IDX, until a re-read after the avail_event write finds nothing new */
    for (unsigned n = 0; again && n < 4u; n++) {
        again = false;
        service_once(&again);
    }
}

static void service_once(bool *again)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    if (!cq->live || cq->broken || !(fw_st.status & VN_STATUS_DRIVER_OK))
        return;
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
    if (r) {
        cq->broken = true;
        fw_set_needs_reset();
    }
}
