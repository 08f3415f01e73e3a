/* fw_ctrlq.c: the control virtqueue (virtio 1.2 5.1.6.5), served through the FDMA
 * mailbox: its state, and the commands whatever the ring layout (fw_ctrlq_split.c and
 * fw_ctrlq_packed.c walk the rings).  The ring belongs to a driver that may be buggy or
 * hostile: every index and length read from it is checked, and every walk is bounded by
 * the queue size. */
#include "fw_ctrlq.h"
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

void fw_ctrlq_reset(void)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    cq->live = false;
    cq->broken = false;
    cq->aev_written = false;
    cq->packed = false;
    cq->avail_wrap = cq->used_wrap = true;
    cq->signalled_valid = false;
    cq->signalled = 0;
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
    cq->packed = (fw_st.negotiated & FW_BIT(VN_F_RING_PACKED)) != 0;
    cq->live = true;
    if (cq->packed && fw_cq_packed_enable()) {
        cq->broken = true;
        fw_set_needs_reset();
    }
}

void fw_ctrlq_service(void)
{
    struct fw_ctrlq *cq = &fw_st.cq;
    if (!cq->live || cq->broken || !(fw_st.status & VN_STATUS_DRIVER_OK))
        return;
    if (cq->packed ? fw_cq_packed_service() : fw_cq_split_service()) {
        cq->broken = true;
        fw_set_needs_reset();
    }
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

uint32_t fw_cq_indirect_entries(uint16_t flags, uint32_t len)
{
    /* 2.7.5.3, 2.8.19: not without the feature, not with NEXT, whole descriptors */
    if (!(fw_st.negotiated & FW_BIT(VN_F_INDIRECT_DESC)) || (flags & VN_DESC_F_NEXT) ||
        len == 0 || len % VQ_DESC_SIZE || len / VQ_DESC_SIZE > 0xffffu)
        return 0;
    return len / VQ_DESC_SIZE;
}

void fw_cq_cmd_start(struct fw_cq_cmd *c)
{
    c->nseg = 0;
    c->kept = 0;
    c->readable = c->writable = c->ack_addr = 0;
    c->in_writable = false;
}

/* A command is device-readable class, command and data, then the device-writable part:
 * command-specific reply data at its start, the ack in its last byte (5.1.6.5). */
int fw_cq_cmd_add(struct fw_cq_cmd *c, uint64_t addr, uint32_t len, bool write)
{
    if (write) {
        c->in_writable = true;
        if (len) {
            if (c->nseg < FW_CTRL_REPLY_MAX) {
                c->seg[c->nseg].addr = addr;
                c->seg[c->nseg].len = len;
                c->nseg++;
            }
            c->writable += len; /* at most size * 4 GiB: no overflow */
            c->ack_addr = addr + len - 1;
        }
        return 0;
    }
    if (c->in_writable)
        return -FW_EPROTO; /* 2.7.4.2, 2.8.17: readable descriptors come first */
    c->readable += len; /* at most size * 4 GiB: no overflow */
    /* Once the command is too long to keep it will not be executed: nothing more of it
     * is read (a descriptor may claim 4 GiB). */
    if (len && c->readable <= CQ_CMD_MAX) {
        int r = read_host(addr, cq_cmd + c->kept, len);
        if (r)
            return r;
        c->kept += len;
    }
    return 0;
}

int fw_cq_cmd_finish(const struct fw_cq_cmd *c, uint32_t *used_len)
{
    if (!c->writable)
        return -FW_EPROTO; /* no ack byte */

    struct fw_ctrl_reply rep;
    rep.room = c->writable - 1 < FW_CTRL_REPLY_MAX ? (uint32_t)(c->writable - 1)
                                                    : FW_CTRL_REPLY_MAX;
    rep.len = 0;
    uint8_t ack =
        c->readable <= CQ_CMD_MAX ? execute(cq_cmd, c->readable, &rep) : VN_CTRL_ERR;
    if (rep.len > rep.room)
        ack = VN_CTRL_ERR; /* a reply that does not fit (commands check rep.room first) */
    if (ack != VN_CTRL_OK)
        rep.len = 0; /* an error carries no reply */

    /* The reply first, then the ack after it: both before the buffer is used. */
    uint32_t done = 0;
    for (uint32_t i = 0; i < c->nseg && done < rep.len; i++) {
        uint32_t part = rep.len - done < c->seg[i].len ? rep.len - done : c->seg[i].len;
        int r = fw_fdma_write(c->seg[i].addr, rep.data + done, part);
        if (r)
            return r;
        done += part;
    }
    int r = fw_fdma_write(c->ack_addr, &ack, 1);
    if (r)
        return r;
    *used_len = rep.len + 1;
    return 0;
}
