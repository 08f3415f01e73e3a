/* fw_main.c: fw_init and the event loop. */
#include "fw.h"
#include "fw_internal.h"
#include "fw_mbox.h"
#include "hal.h"

struct fw_state fw_st;

_Static_assert(VN_FW_BASE == 0, "hal addresses are FW window offsets");

static uint32_t hwcfg_field(uint32_t hw, uint32_t shift, uint32_t mask)
{
    return (hw >> shift) & mask;
}

void fw_init(void)
{
    uint32_t hw = hal_read32(VN_FW_FW_HWCFG);
    uint32_t pairs = hwcfg_field(hw, VN_HWCFG_PAIRS_SHIFT, VN_HWCFG_PAIRS_MASK);
    uint32_t log2 = hwcfg_field(hw, VN_HWCFG_QSIZE_LOG2_SHIFT, VN_HWCFG_QSIZE_LOG2_MASK);

    /* A device with no pairs cannot exist; treat a zero field as the smallest one.  No
     * build has more than MAX_QUEUE_PAIRS, and the per-queue bits hold no more. */
    fw_st.max_pairs = pairs ? pairs : 1;
    if (fw_st.max_pairs > VN_MAX_QUEUE_PAIRS)
        fw_st.max_pairs = VN_MAX_QUEUE_PAIRS;
    fw_st.num_vectors = hwcfg_field(hw, VN_HWCFG_VECTORS_SHIFT, VN_HWCFG_VECTORS_MASK);
    fw_st.max_qsize = VN_MAX_QUEUE_SIZE;
    if (log2 >= 1 && log2 < 16 && (1u << log2) < VN_MAX_QUEUE_SIZE)
        fw_st.max_qsize = 1u << log2;
    fw_st.ctrl_q = 2 * fw_st.max_pairs;
    fw_st.num_queues = fw_st.ctrl_q + 1;
    fw_st.resetting = false;
    fw_st.devcfg_valid = false;
    fw_st.link_up = (hal_read32(VN_FW_LINK_STATUS) & 1u) != 0;
    fw_st.config_gen = 0;
    fw_mbox_init();
    fw_rxf_init();

    hal_write32(VN_FW_FW_VERSION, FW_VERSION);
    hal_write32(VN_FW_DEV_CTRL, 0);
    hal_write32(VN_FW_CC_CONFIG_GENERATION, fw_st.config_gen);
    fw_defaults();
    fw_st.status = 0;
    hal_write32(VN_FW_CC_DEVICE_STATUS, 0);
}

void fw_defaults(void)
{
    fw_features_reset();
    fw_queues_reset();
    fw_ctrlq_reset();
    fw_coal_reset();
    hal_write32(VN_FW_RX_QUEUE_PAIRS, 1);
    fw_rss_reset();
    fw_rxf_reset(); /* the MAC and the announce state too: before the device cfg */
    fw_publish_devcfg();
}

struct fw_event {
    uint32_t kind, off, data, qsel;
};

/* Returns true when the event is finished and may be popped. */
static bool on_common(const struct fw_event *ev)
{
    switch (ev->off) {
    case VN_COMMON_DRIVER_FEATURE:
        fw_on_driver_feature(ev->qsel, ev->data);
        return true;
    case VN_COMMON_CONFIG_MSIX_VECTOR:
        fw_on_config_vector(ev->data & FW_FIELD_MASK(VN_COMMON_CONFIG_MSIX_VECTOR_SIZE));
        return true;
    case VN_COMMON_DEVICE_STATUS: {
        uint8_t v = (uint8_t)(ev->data & FW_FIELD_MASK(VN_COMMON_DEVICE_STATUS_SIZE));
        if (v == 0)
            return fw_reset_start();
        fw_on_status(v);
        return true;
    }
    default:
        fw_on_queue_write(ev->off, ev->qsel, ev->data);
        return true;
    }
}

static bool on_event(const struct fw_event *ev)
{
    switch (ev->kind) {
    case VN_EVT_KIND_COMMON:
        return on_common(ev);
    case VN_EVT_KIND_KICK:
        if (ev->qsel == fw_st.ctrl_q)
            fw_ctrlq_service();
        return true;
    case VN_EVT_KIND_LINK:
        fw_on_link((ev->data & 1u) != 0);
        return true;
    case VN_EVT_KIND_VENDOR:
        if (ev->off == VN_VENDOR_VND_QUEUE_BASE)
            fw_on_queue_base(ev->qsel, ev->data);
        else
            return fw_mbox_command(ev->data);
        return true;
    case VN_EVT_KIND_QERR:
        /* A QERR queued behind a device reset names a queue that reset already
         * cleared, and one for a queue being reset is about rings the driver is
         * giving up: only a running queue's error means anything. */
        if (ev->qsel < fw_st.ctrl_q && fw_queue_enabled(ev->qsel) && !fw_qreset_busy(ev->qsel))
            fw_set_needs_reset();
        return true;
    default: /* DEVICE: device cfg is read-only for the driver; nothing to undo */
        return true;
    }
}

/* 0 once the FIFO is empty; 1 if an event is still in progress or more may wait. */
static int poll_events(void)
{
    /* Bounded so that one call cannot run forever under a stream of events; the event
     * line stays up and the caller polls again. */
    for (uint32_t n = 0; n < VN_EVT_FIFO_DEPTH; n++) {
        uint32_t info = hal_read32(VN_FW_EVT_INFO);
        if (!(info & VN_EVT_INFO_VALID))
            return 0;
        struct fw_event ev;
        ev.kind = (info >> VN_EVT_INFO_KIND_SHIFT) & VN_EVT_INFO_KIND_MASK;
        ev.off = info & VN_EVT_INFO_OFF_MASK;
        ev.data = hal_read32(VN_FW_EVT_DATA);
        ev.qsel = hal_read32(VN_FW_EVT_QSEL);
        if (!on_event(&ev))
            return 1; /* the head stays: driver reads keep stalling until it is done */
        hal_write32(VN_FW_EVT_POP, 1);
    }
    return 1;
}

int fw_poll(void)
{
    if (fw_st.resetting) {
        if (!fw_reset_finish())
            return 1;
        hal_write32(VN_FW_EVT_POP, 1);
    }
    int more = poll_events();
    if (fw_st.resetting)
        return 1; /* a device reset supersedes every queue reset */
    /* After the events, so that a queue reset requested just now is already under way
     * and one that needs no waiting (the control queue) completes in this call. */
    bool qbusy = fw_qreset_poll();
    return more || qbusy;
}
