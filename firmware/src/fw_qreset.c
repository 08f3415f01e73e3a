/* fw_qreset.c: per-virtqueue reset (VIRTIO_F_RING_RESET; virtio 1.2 2.6.1, 4.1.4.3).
 *
 * queue_reset = 1 shows 1 at once and stops the queue; the shadows keep the setup the
 * engine ran with until the engine is IDLE, then go back to their reset values with
 * queue_enable cleared before queue_reset (Linux waits for both).  Several queues may be
 * resetting at once: each is one bit in fw_st.qreset, advanced by fw_poll. */
#include "fw_internal.h"
#include "hal.h"

_Static_assert(FW_QMAP_WORDS * 32u >= FW_MAX_QUEUES, "a bit for every queue");

static bool bit_get(uint32_t q)
{
    return fw_qbit(fw_st.qreset, q);
}

static void bit_put(uint32_t q, bool on)
{
    fw_qbit_put(fw_st.qreset, q, on);
}

bool fw_qreset_busy(uint32_t q)
{
    return q < fw_st.num_queues && bit_get(q);
}

void fw_qreset_clear(void)
{
    for (uint32_t w = 0; w < FW_QMAP_WORDS; w++)
        fw_st.qreset[w] = 0;
}

void fw_on_queue_reset(uint32_t q, uint32_t v)
{
    /* Without RING_RESET the field does not exist for the driver: it keeps reading 0. */
    if (!(fw_st.negotiated & FW_BIT(VN_F_RING_RESET)) || v == 0 || q >= fw_st.num_queues)
        return;
    if (bit_get(q))
        return; /* a repeated request joins the one in progress: it completes once */
    if (!fw_queue_enabled(q))
        return; /* nothing runs, nothing to stop: the driver reads 0 at once */
    hal_write32(VN_FW_QS_SEL, q);
    hal_write32(VN_FW_QS_RESET, 1);
    if (q == fw_st.ctrl_q) {
        /* Firmware serves this queue itself: forgetting its ring stops it, and its
         * indices start from 0 at the next enable. */
        fw_ctrlq_reset();
    } else {
        hal_write32(VN_FW_QC_SEL, q);
        hal_write32(VN_FW_QC_CMD, VN_QC_CMD_RESET);
    }
    bit_put(q, true);
}

static bool stopped(uint32_t q)
{
    if (q == fw_st.ctrl_q)
        return true;
    hal_write32(VN_FW_QC_SEL, q);
    return (hal_read32(VN_FW_QC_STATE) & VN_QC_STATE_MASK) == VN_QSTATE_IDLE;
}

bool fw_qreset_poll(void)
{
    bool busy = false;
    for (uint32_t w = 0; w < FW_QMAP_WORDS; w++) {
        if (!fw_st.qreset[w])
            continue;
        for (uint32_t b = 0; b < 32u; b++) {
            uint32_t q = 32u * w + b;
            if (!bit_get(q))
                continue;
            if (!stopped(q)) {
                busy = true;
                continue;
            }
            /* 2.6.1.1.1: until now the engine could still touch the rings, so only now
             * may the driver see the reset complete and reuse them. */
            fw_queue_defaults(q);
            bit_put(q, false);
        }
    }
    return busy;
}
