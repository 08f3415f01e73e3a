/* fw_features.c: feature negotiation (virtio 1.2 2.2, 5.1.3). */
#include "fw_internal.h"
#include "hal.h"

static const uint32_t feature_reg[2] = {VN_FW_CC_DRIVER_FEATURE0, VN_FW_CC_DRIVER_FEATURE1};

static uint32_t offered_word(uint32_t sel)
{
    return sel == 0 ? (uint32_t)FW_OFFERED : (uint32_t)(FW_OFFERED >> 32);
}

void fw_features_reset(void)
{
    fw_st.drv_feat[0] = 0;
    fw_st.drv_feat[1] = 0;
    fw_st.drv_feat_hi = 0;
    fw_st.drv_feat_far = false;
    fw_st.negotiated = 0;
    hal_write32(VN_FW_CC_DEVICE_FEATURE0, offered_word(0));
    hal_write32(VN_FW_CC_DEVICE_FEATURE1, offered_word(1));
    hal_write32(VN_FW_CC_DRIVER_FEATURE0, 0);
    hal_write32(VN_FW_CC_DRIVER_FEATURE1, 0);
}

void fw_on_driver_feature(uint32_t sel, uint32_t v)
{
    if (fw_st.status & VN_STATUS_FEATURES_OK)
        return; /* 3.1.1: no new features after FEATURES_OK */
    if (sel < 2) {
        fw_st.drv_feat[sel] = v;
        /* 4.1.4.3.1: the driver reads back the valid subset of what it wrote */
        hal_write32(feature_reg[sel], v & offered_word(sel));
    } else if (sel < 34) {
        uint32_t bit = 1u << (sel - 2);
        fw_st.drv_feat_hi = v ? (fw_st.drv_feat_hi | bit) : (fw_st.drv_feat_hi & ~bit);
    } else if (v) {
        fw_st.drv_feat_far = true;
    }
}

uint64_t fw_features_written(void)
{
    return fw_u64(fw_st.drv_feat[0], fw_st.drv_feat[1]);
}

bool fw_features_acceptable(void)
{
    uint64_t f = fw_features_written();

    if (fw_st.drv_feat_hi || fw_st.drv_feat_far || (f & ~FW_OFFERED))
        return false;
    if (!(f & FW_BIT(VN_F_VERSION_1)))
        return false;
    /* Every DMA address is an IOVA: a driver that wants physical addresses cannot
     * drive this device (6.2). */
    if (!(f & FW_BIT(VN_F_ACCESS_PLATFORM)))
        return false;
    /* Features that exist only as control-queue commands need the control queue. */
    if ((f & FW_NEEDS_CTRL_VQ) && !(f & FW_BIT(VN_F_CTRL_VQ)))
        return false;
    /* Without MQ or RSS the driver would use queue 2 as its control queue (5.1.2), but
     * the hardware decodes the control queue at 2 * max_pairs (fw_st.ctrl_q). */
    if ((f & FW_BIT(VN_F_CTRL_VQ)) && !(f & (FW_BIT(VN_F_MQ) | FW_BIT(VN_F_RSS))) &&
        fw_st.max_pairs > 1)
        return false;
    return true;
}
