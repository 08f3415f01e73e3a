/* fw_status.c: device_status state machine and the device reset procedure. */
#include "fw_internal.h"
#include "hal.h"

static void publish_status(void)
{
    hal_write32(VN_FW_CC_DEVICE_STATUS, fw_st.status);
}

void fw_set_needs_reset(void)
{
    if (fw_st.status & VN_STATUS_NEEDS_RESET)
        return;
    fw_st.status |= VN_STATUS_NEEDS_RESET;
    publish_status();
    /* virtio 1.2 2.1.2: a config change notification once the driver is live */
    if (fw_st.status & VN_STATUS_DRIVER_OK)
        hal_write32(VN_FW_CFG_IRQ, 1);
}

uint32_t fw_dev_ctrl(void)
{
    uint64_t f = fw_st.negotiated;
    uint32_t v = VN_DEV_CTRL_DATAPATH_EN;

    if (f & FW_BIT(VN_F_MRG_RXBUF))
        v |= VN_DEV_CTRL_RX_MRG;
    if (f & FW_BIT(VN_F_INDIRECT_DESC))
        v |= VN_DEV_CTRL_INDIRECT;
    if (f & FW_BIT(VN_F_CSUM))
        v |= VN_DEV_CTRL_TX_CSUM;
    /* 5.1.6.5.6.1: GUEST_OFFLOADS_SET may turn the receive checksum off and on again */
    if (f & fw_st.guest_offloads & FW_BIT(VN_F_GUEST_CSUM))
        v |= VN_DEV_CTRL_RX_CSUM;
    if (f & FW_BIT(VN_F_HASH_REPORT))
        v |= VN_DEV_CTRL_HDR_HASH;
    if (f & FW_BIT(VN_F_EVENT_IDX))
        v |= VN_DEV_CTRL_EVENT_IDX;
    if (f & FW_BIT(VN_F_RING_PACKED))
        v |= VN_DEV_CTRL_PACKED;
    return v;
}

void fw_on_status(uint8_t v)
{
    const uint8_t driver_bits = VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FAILED |
                                VN_STATUS_FEATURES_OK | VN_STATUS_DRIVER_OK;
    /* NEEDS_RESET is the device's bit: a driver echoing it or not changes nothing. */
    uint8_t cur = fw_st.status & driver_bits;
    uint8_t want = v & driver_bits;

    if (cur & ~want) {
        fw_set_needs_reset(); /* 2.1.1: bits are only cleared by a reset */
        return;
    }
    uint8_t add = want & ~cur;
    uint8_t next = fw_st.status | (add & (VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER |
                                          VN_STATUS_FAILED));
    bool bad = false;

    if ((add & VN_STATUS_FEATURES_OK) && fw_features_acceptable()) {
        fw_st.negotiated = fw_features_written();
        fw_rxf_features();
        next |= VN_STATUS_FEATURES_OK;
    }
    if (add & VN_STATUS_DRIVER_OK) {
        if (next & VN_STATUS_FEATURES_OK)
            next |= VN_STATUS_DRIVER_OK;
        else
            bad = true;
    }
    bool went_live = (next & VN_STATUS_DRIVER_OK) && !(fw_st.status & VN_STATUS_DRIVER_OK);
    if (went_live)
        hal_write32(VN_FW_DEV_CTRL, fw_dev_ctrl());
    fw_st.status = next;
    publish_status();
    if (bad)
        fw_set_needs_reset();
    /* Buffers the driver queued before DRIVER_OK could not be served until now. */
    if (went_live)
        fw_ctrlq_service();
}

bool fw_reset_start(void)
{
    hal_write32(VN_FW_DEV_CTRL, 0);
    hal_write32(VN_FW_DEV_RESET, 1);
    /* DEV_RESET stops every queue, those being reset too: their resets end with this
     * one, and the defaults fw_reset_finish writes show queue_reset 0 everywhere. */
    fw_qreset_clear();
    fw_st.resetting = true;
    return fw_reset_finish();
}

bool fw_reset_finish(void)
{
    if (!(hal_read32(VN_FW_DEV_IDLE) & VN_DEV_IDLE_IDLE))
        return false;
    fw_defaults();
    fw_st.resetting = false;
    /* Last: a driver that reads 0 may start again at once (4.1.4.3.1). */
    fw_st.status = 0;
    publish_status();
    return true;
}
