/* fw_coal.c: notification coalescing (virtio 1.3 5.1.6.5.9), the NOTF_COAL class of the
 * control queue.  The queue engines do the coalescing; firmware hands each data queue its
 * QC_COAL word (QC_CMD_START when the queue is enabled, QC_CMD_COAL while it runs) and
 * keeps that word, since the engine cannot report it back.
 *
 * Values are capped as the engine takes them (max_packets to 16 bits, max_usecs to
 * VN_COAL_MAX_USECS) and stored capped, 4 bytes a data queue: VQ_GET therefore reports
 * the capped values, what the queue really runs with, not the driver's numbers when they
 * were larger. */
#include "fw_internal.h"
#include "hal.h"

#define COAL_LEN 8u    /* virtio_net_ctrl_coal: le32 max_packets, le32 max_usecs */
#define COAL_VQ_HDR 4u /* virtio_net_ctrl_coal_vq before it: le16 vqn, le16 reserved */
#define COAL_PKTS_MAX 0xffffu
#define COAL_USECS_SHIFT 16u

_Static_assert(VN_COAL_MAX_USECS <= 0xffffu, "max_usecs fits QC_COAL[31:16]");
_Static_assert(COAL_LEN <= FW_CTRL_REPLY_MAX, "a VQ_GET reply fits the reply buffer");

static uint32_t coal_word(const uint8_t *c)
{
    uint32_t pkts = fw_le32(c), usecs = fw_le32(c + 4);
    if (pkts > COAL_PKTS_MAX)
        pkts = COAL_PKTS_MAX;
    if (usecs > VN_COAL_MAX_USECS)
        usecs = VN_COAL_MAX_USECS;
    return pkts | usecs << COAL_USECS_SHIFT;
}

void fw_coal_reset(void)
{
    /* 5.1.6.5.9: every parameter is 0 after a device reset */
    fw_st.coal_dir[0] = fw_st.coal_dir[1] = 0;
    for (uint32_t q = 0; q < FW_MAX_DATA_QUEUES; q++)
        fw_st.coal[q] = 0;
}

uint32_t fw_coal_start(uint32_t q)
{
    /* 5.1.6.5.9.6: an enabled (or re-enabled) queue takes the last TX_SET or RX_SET */
    fw_st.coal[q] = fw_st.coal_dir[q & 1u];
    return fw_st.coal[q];
}

/* A data queue that runs: enabled and not being reset. */
static bool running(uint32_t q)
{
    return q < fw_st.ctrl_q && fw_queue_enabled(q) && !fw_qreset_busy(q);
}

static void apply(uint32_t q, uint32_t w)
{
    fw_st.coal[q] = w;
    hal_write32(VN_FW_QC_SEL, q);
    hal_write32(VN_FW_QC_COAL, w);
    hal_write32(VN_FW_QC_CMD, VN_QC_CMD_COAL);
}

uint8_t fw_coal_command(uint8_t cmd, const uint8_t *data, uint64_t len,
                        struct fw_ctrl_reply *rep)
{
    bool all = (fw_st.negotiated & FW_BIT(VN_F_NOTF_COAL)) != 0;
    bool vq = (fw_st.negotiated & FW_BIT(VN_F_VQ_NOTF_COAL)) != 0;

    switch (cmd) {
    case VN_CTRL_NOTF_COAL_TX_SET:
    case VN_CTRL_NOTF_COAL_RX_SET: {
        if (!all || len != COAL_LEN)
            return VN_CTRL_ERR;
        /* TX queues are odd, RX queues even: coal_dir is indexed by q & 1 */
        uint32_t dir = cmd == VN_CTRL_NOTF_COAL_TX_SET ? 1u : 0u;
        uint32_t w = coal_word(data);
        fw_st.coal_dir[dir] = w;
        /* The most recent command wins for each queue.  A queue not running now takes
         * the value when it is enabled. */
        for (uint32_t q = dir; q < fw_st.ctrl_q; q += 2)
            if (running(q))
                apply(q, w);
        return VN_CTRL_OK;
    }
    case VN_CTRL_NOTF_COAL_VQ_SET: {
        if (!vq || len != COAL_VQ_HDR + COAL_LEN)
            return VN_CTRL_ERR;
        uint32_t q = fw_le16(data);
        if (!running(q))
            return VN_CTRL_ERR;
        apply(q, coal_word(data + COAL_VQ_HDR));
        return VN_CTRL_OK;
    }
    case VN_CTRL_NOTF_COAL_VQ_GET: {
        if (!vq || len != COAL_VQ_HDR || rep->room < COAL_LEN)
            return VN_CTRL_ERR;
        uint32_t q = fw_le16(data);
        if (!running(q))
            return VN_CTRL_ERR;
        uint32_t w = fw_st.coal[q];
        fw_put_le32(rep->data, w & COAL_PKTS_MAX);
        fw_put_le32(rep->data + 4, w >> COAL_USECS_SHIFT);
        rep->len = COAL_LEN;
        return VN_CTRL_OK;
    }
    default:
        return VN_CTRL_ERR;
    }
}
