/* fw_queues.c: config vector, per-queue setup and validation, queue enable. */
#include "fw_internal.h"
#include "hal.h"
#include "virtio_ring.h"

static uint32_t qs_read(uint32_t q, uint32_t reg)
{
    hal_write32(VN_FW_QS_SEL, q);
    return hal_read32(reg);
}

static void qs_write(uint32_t q, uint32_t reg, uint32_t v)
{
    hal_write32(VN_FW_QS_SEL, q);
    hal_write32(reg, v);
}

/* 4.1.5.1.2: a vector the table does not have reads back as NO_VECTOR */
static uint32_t valid_vector(uint32_t v)
{
    return v < fw_st.num_vectors ? v : VN_MSIX_NO_VECTOR;
}

void fw_on_config_vector(uint32_t v)
{
    hal_write32(VN_FW_CC_CONFIG_MSIX_VECTOR, valid_vector(v));
}

bool fw_queue_enabled(uint32_t q)
{
    return q < fw_st.num_queues && qs_read(q, VN_FW_QS_ENABLE) != 0;
}

void fw_queue_defaults(uint32_t q)
{
    fw_st.qbase[q] = 0;
    fw_qbit_put(fw_st.qbase_set, q, false);
    hal_write32(VN_FW_QS_SEL, q);
    hal_write32(VN_FW_QS_SIZE, fw_st.max_qsize);
    hal_write32(VN_FW_QS_MSIX_VECTOR, VN_MSIX_NO_VECTOR);
    hal_write32(VN_FW_QS_DESC_LO, 0);
    hal_write32(VN_FW_QS_DESC_HI, 0);
    hal_write32(VN_FW_QS_DRIVER_LO, 0);
    hal_write32(VN_FW_QS_DRIVER_HI, 0);
    hal_write32(VN_FW_QS_DEVICE_LO, 0);
    hal_write32(VN_FW_QS_DEVICE_HI, 0);
    /* Last, and enable first: a driver that sees queue_reset 0 goes on to require
     * queue_enable 0 (Linux vp_modern_set_queue_reset), so it must never see 0 with 1. */
    hal_write32(VN_FW_QS_ENABLE, 0);
    hal_write32(VN_FW_QS_RESET, 0);
}

void fw_queues_reset(void)
{
    fw_qreset_clear();
    hal_write32(VN_FW_CC_CONFIG_MSIX_VECTOR, VN_MSIX_NO_VECTOR);
    hal_write32(VN_FW_CC_NUM_QUEUES, fw_st.num_queues);
    for (uint32_t q = 0; q < fw_st.num_queues; q++)
        fw_queue_defaults(q);
}

_Static_assert(VN_MAX_QUEUE_SIZE <= VQ_SIZE_LIMIT, "a ring slot fits a packed index");

static bool packed(void)
{
    return (fw_st.negotiated & FW_BIT(VN_F_RING_PACKED)) != 0;
}

/* A split ring's size is a power of two (2.7), a packed one's need not be (2.8).  Before
 * FEATURES_OK nothing is negotiated, so the split rule applies: the driver sets its queues
 * up after FEATURES_OK (3.1.1). */
static bool size_ok(uint32_t v)
{
    if (v == 0 || v > fw_st.max_qsize)
        return false;
    return packed() || (v & (v - 1)) == 0;
}

/* QC_BASE for data queue q: a vDPA restore's indices, else a fresh ring's (packed: slot 0
 * with both wrap counters 1, 2.8.1). */
static uint32_t start_base(uint32_t q)
{
    if (fw_qbit(fw_st.qbase_set, q))
        return fw_st.qbase[q];
    return packed() ? VN_PACKED_BASE_START : 0;
}

/* A restored packed position names a slot; the engine must never get one outside the
 * ring (a split index is free-running: any value is one). */
static bool base_ok(uint32_t q, uint32_t size)
{
    return !packed() || (start_base(q) & PVQ_IDX_MASK) < size;
}

static uint64_t qs_addr(uint32_t q, uint32_t lo_reg, uint32_t hi_reg)
{
    uint32_t lo = qs_read(q, lo_reg);
    return fw_u64(lo, hal_read32(hi_reg));
}

static void program_engine(uint32_t q, uint64_t desc, uint64_t drv, uint64_t dev)
{
    hal_write32(VN_FW_QC_SEL, q);
    hal_write32(VN_FW_QC_SIZE, qs_read(q, VN_FW_QS_SIZE));
    hal_write32(VN_FW_QC_MSIX_VECTOR, hal_read32(VN_FW_QS_MSIX_VECTOR));
    hal_write32(VN_FW_QC_DESC_LO, (uint32_t)desc);
    hal_write32(VN_FW_QC_DESC_HI, (uint32_t)(desc >> 32));
    hal_write32(VN_FW_QC_DRIVER_LO, (uint32_t)drv);
    hal_write32(VN_FW_QC_DRIVER_HI, (uint32_t)(drv >> 32));
    hal_write32(VN_FW_QC_DEVICE_LO, (uint32_t)dev);
    hal_write32(VN_FW_QC_DEVICE_HI, (uint32_t)(dev >> 32));
    hal_write32(VN_FW_QC_BASE, start_base(q));
    hal_write32(VN_FW_QC_COAL, fw_coal_start(q));
    hal_write32(VN_FW_QC_CMD, VN_QC_CMD_START);
}

static void enable(uint32_t q)
{
    if (!(fw_st.status & VN_STATUS_FEATURES_OK) || q >= fw_st.num_queues) {
        fw_set_needs_reset();
        return;
    }
    if (qs_read(q, VN_FW_QS_ENABLE))
        return; /* enabled already, or its reset is still in progress */
    /* Once the driver is live a queue goes away and comes back only through a queue
     * reset (2.6.1), which exists only with RING_RESET. */
    if ((fw_st.status & VN_STATUS_DRIVER_OK) && !(fw_st.negotiated & FW_BIT(VN_F_RING_RESET))) {
        fw_set_needs_reset();
        return;
    }
    /* Writes never store a bad size; checked again because a split engine masks ring
     * indices with size - 1 and must never be given anything else. */
    uint32_t size = qs_read(q, VN_FW_QS_SIZE);
    if (!size_ok(size) || (q < fw_st.ctrl_q && !base_ok(q, size))) {
        fw_set_needs_reset();
        return;
    }
    uint64_t desc = qs_addr(q, VN_FW_QS_DESC_LO, VN_FW_QS_DESC_HI);
    uint64_t drv = qs_addr(q, VN_FW_QS_DRIVER_LO, VN_FW_QS_DRIVER_HI);
    uint64_t dev = qs_addr(q, VN_FW_QS_DEVICE_LO, VN_FW_QS_DEVICE_HI);
    /* Alignment is in the low bits: 32-bit remainders, no 64-bit division on rv32. */
    uint32_t drv_align = packed() ? PVQ_EVENT_ALIGN : VQ_AVAIL_ALIGN;
    uint32_t dev_align = packed() ? PVQ_EVENT_ALIGN : VQ_USED_ALIGN;
    if (desc % VQ_DESC_ALIGN || (uint32_t)drv % drv_align || (uint32_t)dev % dev_align) {
        fw_set_needs_reset();
        return;
    }
    if (q < fw_st.ctrl_q)
        program_engine(q, desc, drv, dev);
    else
        fw_ctrlq_enable(q);
    qs_write(q, VN_FW_QS_ENABLE, 1);
}

void fw_on_queue_write(uint32_t off, uint32_t q, uint32_t v)
{
    uint32_t reg;

    switch (off) {
    case VN_COMMON_QUEUE_ENABLE:
        /* The driver must not write 0 (4.1.4.3.2): ignored. */
        if (v & FW_FIELD_MASK(VN_COMMON_QUEUE_ENABLE_SIZE))
            enable(q);
        return;
    case VN_COMMON_QUEUE_SIZE: reg = VN_FW_QS_SIZE; break;
    case VN_COMMON_QUEUE_MSIX_VECTOR: reg = VN_FW_QS_MSIX_VECTOR; break;
    case VN_COMMON_QUEUE_DESC_LO: reg = VN_FW_QS_DESC_LO; break;
    case VN_COMMON_QUEUE_DESC_HI: reg = VN_FW_QS_DESC_HI; break;
    case VN_COMMON_QUEUE_DRIVER_LO: reg = VN_FW_QS_DRIVER_LO; break;
    case VN_COMMON_QUEUE_DRIVER_HI: reg = VN_FW_QS_DRIVER_HI; break;
    case VN_COMMON_QUEUE_DEVICE_LO: reg = VN_FW_QS_DEVICE_LO; break;
    case VN_COMMON_QUEUE_DEVICE_HI: reg = VN_FW_QS_DEVICE_HI; break;
    case VN_COMMON_QUEUE_RESET:
        fw_on_queue_reset(q, v & FW_FIELD_MASK(VN_COMMON_QUEUE_RESET_SIZE));
        return;
    default:
        return; /* read-only fields */
    }
    /* A queue that does not exist reads 0 everywhere; an enabled queue's setup is
     * what the engine runs with, so the readback must stay the same. */
    if (q >= fw_st.num_queues || qs_read(q, VN_FW_QS_ENABLE))
        return;
    if (reg == VN_FW_QS_SIZE) {
        v &= FW_FIELD_MASK(VN_COMMON_QUEUE_SIZE_SIZE);
        if (!size_ok(v))
            return;
    } else if (reg == VN_FW_QS_MSIX_VECTOR) {
        v = valid_vector(v & FW_FIELD_MASK(VN_COMMON_QUEUE_MSIX_VECTOR_SIZE));
    }
    hal_write32(reg, v);
}

void fw_on_queue_base(uint32_t q, uint32_t v)
{
    /* Only a data queue that is not running takes a start index; the control queue is
     * the firmware's own and always starts fresh (0, or slot 0 with wrap counters 1). */
    if (q < fw_st.ctrl_q && !qs_read(q, VN_FW_QS_ENABLE)) {
        fw_st.qbase[q] = (uint16_t)v;
        fw_qbit_put(fw_st.qbase_set, q, true);
    }
}
