/* test_features.c: feature negotiation and driver_feature readback. */
#include "fw.h"
#include "fw_test.h"

#define BASE_OK (VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER)

static uint8_t status(void)
{
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

static void accepts_everything_offered(void)
{
    CHECK_EQ(drv_negotiate(FEATURES_ALL), BASE_OK | VN_STATUS_FEATURES_OK, "status");
    CHECK_EQ(drv_read_driver_features(), FEATURES_ALL, "driver_feature readback");
}

static void accepts_minimal_set(void)
{
    uint64_t f = BIT(VN_F_VERSION_1) | BIT(VN_F_ACCESS_PLATFORM);
    CHECK_EQ(drv_negotiate(f), BASE_OK | VN_STATUS_FEATURES_OK, "status");
    CHECK_EQ(drv_read_driver_features(), f, "driver_feature readback");
}

static void refused(uint64_t f, const char *why)
{
    CHECK_EQ(drv_negotiate(f), BASE_OK, why);
    CHECK_EQ(mock.cfg_irqs, 0, "no interrupt");
}

static void refuses_without_version_1(void)
{
    refused(FEATURES_ALL & ~BIT(VN_F_VERSION_1), "no VERSION_1");
}

#define F_HOST_TSO4 11u /* not offered: the device does no segmentation */

static void refuses_unoffered_bit(void)
{
    refused(FEATURES_ALL | BIT(F_HOST_TSO4), "HOST_TSO4 is not offered");
    /* the readback shows the valid subset, not what was written */
    CHECK_EQ(drv_read_driver_features(), FEATURES_ALL, "readback without HOST_TSO4");
}

static void accepts_ring_packed(void)
{
    uint64_t f = FEATURES_ALL | BIT(VN_F_EVENT_IDX) | BIT(VN_F_RING_PACKED);
    CHECK_EQ(drv_negotiate(f), BASE_OK | VN_STATUS_FEATURES_OK, "status");
    CHECK_EQ(drv_read_driver_features(), f, "driver_feature readback");
    mock_power_on();
    fw_init();
    f = FEATURES_MIN | BIT(VN_F_RING_PACKED);
    CHECK_EQ(drv_negotiate(f), BASE_OK | VN_STATUS_FEATURES_OK, "with the least else");
}

static void refuses_unoffered_high_word(void)
{
    drv_status_add(VN_STATUS_ACKNOWLEDGE);
    drv_status_add(VN_STATUS_DRIVER);
    drv_write_features(FEATURES_ALL);
    drv_write(VN_COMMON_DRIVER_FEATURE_SELECT, 4, 2);
    drv_write(VN_COMMON_DRIVER_FEATURE, 4, 1);
    CHECK_EQ(drv_read(VN_COMMON_DRIVER_FEATURE, 4), 0, "word 2 reads 0");
    drv_status_add(VN_STATUS_FEATURES_OK);
    CHECK_EQ(status(), BASE_OK, "bit 64 refused");
    /* the driver takes it back: acceptable again */
    drv_write(VN_COMMON_DRIVER_FEATURE_SELECT, 4, 2);
    drv_write(VN_COMMON_DRIVER_FEATURE, 4, 0);
    drv_status_add(VN_STATUS_FEATURES_OK);
    CHECK_EQ(status(), BASE_OK | VN_STATUS_FEATURES_OK, "accepted once withdrawn");
}

static void refuses_mq_without_ctrl_vq(void)
{
    refused(FEATURES_ALL & ~BIT(VN_F_CTRL_VQ), "MQ without CTRL_VQ");
}

static void refuses_ctrl_vq_without_mq(void)
{
    /* the driver would put its control queue at index 2, a data queue here */
    refused(FEATURES_ALL & ~(BIT(VN_F_MQ) | BIT(VN_F_RSS)),
            "CTRL_VQ without MQ or RSS on a multi-pair device");
}

/* RSS alone also puts the control queue at 2 * max_virtqueue_pairs (5.1.2). */
static void accepts_ctrl_vq_with_rss_only(void)
{
    uint64_t f = FEATURES_ALL & ~BIT(VN_F_MQ);
    CHECK_EQ(drv_negotiate(f), BASE_OK | VN_STATUS_FEATURES_OK, "status");
    CHECK_EQ(drv_read_driver_features(), f, "readback");
}

/* Every feature that is only control-queue commands needs CTRL_VQ (5.1.3.1); the plain
 * offloads do not. */
static void control_features_need_ctrl_vq(void)
{
    static const unsigned needs[] = {
        VN_F_MQ, VN_F_NOTF_COAL, VN_F_VQ_NOTF_COAL, VN_F_CTRL_RX, VN_F_CTRL_RX_EXTRA,
        VN_F_CTRL_VLAN, VN_F_CTRL_MAC_ADDR, VN_F_GUEST_ANNOUNCE, VN_F_RSS,
        VN_F_HASH_REPORT, VN_F_CTRL_GUEST_OFFLOADS,
    };
    for (unsigned i = 0; i < sizeof needs / sizeof needs[0]; i++) {
        mock_power_on();
        fw_init();
        CHECK(drv_negotiate(FEATURES_MIN | BIT(needs[i])) == BASE_OK,
              "feature %u without CTRL_VQ refused", needs[i]);
        mock_power_on();
        fw_init();
        uint64_t f = FEATURES_MIN | BIT(VN_F_CTRL_VQ) | BIT(VN_F_MQ) | BIT(needs[i]);
        CHECK(drv_negotiate(f) == (BASE_OK | VN_STATUS_FEATURES_OK),
              "feature %u with CTRL_VQ accepted", needs[i]);
    }
    mock_power_on();
    fw_init();
    uint64_t plain = FEATURES_MIN | BIT(VN_F_CSUM) | BIT(VN_F_GUEST_CSUM);
    CHECK_EQ(drv_negotiate(plain), BASE_OK | VN_STATUS_FEATURES_OK, "checksums alone");
}

static void refuses_without_access_platform(void)
{
    refused(FEATURES_ALL & ~BIT(VN_F_ACCESS_PLATFORM), "no ACCESS_PLATFORM");
}

static void readback_is_valid_subset(void)
{
    drv_write(VN_COMMON_DRIVER_FEATURE_SELECT, 4, 0);
    drv_write(VN_COMMON_DRIVER_FEATURE, 4, 0xffffffffu);
    CHECK_EQ(drv_read(VN_COMMON_DRIVER_FEATURE, 4), (uint32_t)FEATURES_OFFERED, "word 0");
    drv_write(VN_COMMON_DRIVER_FEATURE_SELECT, 4, 1);
    drv_write(VN_COMMON_DRIVER_FEATURE, 4, 0xffffffffu);
    CHECK_EQ(drv_read(VN_COMMON_DRIVER_FEATURE, 4), (uint32_t)(FEATURES_OFFERED >> 32), "word 1");
}

static void writes_after_features_ok_ignored(void)
{
    uint64_t f = BIT(VN_F_VERSION_1) | BIT(VN_F_ACCESS_PLATFORM) | BIT(VN_F_MAC);
    CHECK_EQ(drv_negotiate(f), BASE_OK | VN_STATUS_FEATURES_OK, "negotiated");
    drv_write_features(FEATURES_ALL);
    CHECK_EQ(drv_read_driver_features(), f, "readback unchanged");
    CHECK_EQ(status(), BASE_OK | VN_STATUS_FEATURES_OK, "status unchanged");
}

int main(void)
{
    t_run("accepts_everything_offered", accepts_everything_offered);
    t_run("accepts_minimal_set", accepts_minimal_set);
    t_run("refuses_without_version_1", refuses_without_version_1);
    t_run("refuses_unoffered_bit", refuses_unoffered_bit);
    t_run("accepts_ring_packed", accepts_ring_packed);
    t_run("refuses_unoffered_high_word", refuses_unoffered_high_word);
    t_run("refuses_mq_without_ctrl_vq", refuses_mq_without_ctrl_vq);
    t_run("refuses_ctrl_vq_without_mq", refuses_ctrl_vq_without_mq);
    t_run("accepts_ctrl_vq_with_rss_only", accepts_ctrl_vq_with_rss_only);
    t_run("control_features_need_ctrl_vq", control_features_need_ctrl_vq);
    t_run("refuses_without_access_platform", refuses_without_access_platform);
    t_run("readback_is_valid_subset", readback_is_valid_subset);
    t_run("writes_after_features_ok_ignored", writes_after_features_ok_ignored);
    return t_summary();
}
