/* virtio-pci modern: capability walk and common-cfg accessors (virtio 1.2 section 4.1). */
#include "vn_pci.h"

#include <errno.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_log.h"

/* PCI facts, not register-map entries: capabilities live after the 64-byte type 0
 * header, and modern virtio device IDs start at 0x1040 (virtio 4.1.2). */
#define PCI_STD_HEADER_END 0x40u
#define VIRTIO_PCI_MODERN_ID_BASE 0x1040u
#define PCI_MAX_BAR 5u
/* Each capability is at least 4 bytes: a full 256-byte space cannot hold more than this
 * many, so a longer walk is a loop even if the bitmap missed it. */
#define PCI_CAP_MAX ((VN_CFG_SIZE - PCI_STD_HEADER_END) / 4u)
#define VIRTIO_CAP_MIN_LEN (VN_VCAP_LENGTH + 4u)
#define VIRTIO_CAP_EXT_LEN (VN_VCAP_NOTIFY_MULT + 4u)
/* The common structure must reach at least the end of queue_device to be usable. */
#define COMMON_MIN_LEN (VN_COMMON_QUEUE_DEVICE_HI + VN_COMMON_QUEUE_DEVICE_HI_SIZE)

_Static_assert(VN_VCAP_NOTIFY_MULT == VN_VCAP_PCICFG_DATA,
               "notify and PCI_CFG caps both extend the common cap at byte 16");
_Static_assert(VN_COMMON_QUEUE_DESC_HI == VN_COMMON_QUEUE_DESC_LO + 4 &&
                   VN_COMMON_QUEUE_DRIVER_HI == VN_COMMON_QUEUE_DRIVER_LO + 4 &&
                   VN_COMMON_QUEUE_DEVICE_HI == VN_COMMON_QUEUE_DEVICE_LO + 4,
               "64-bit queue addresses are lo/hi dword pairs");
_Static_assert(VN_COMMON_LEN >= COMMON_MIN_LEN, "advertised common length covers the fields");
_Static_assert(VN_CFG_SIZE % 4 == 0 && VN_CFG_SIZE <= 0x100,
               "capability walk assumes a 256-byte space");

static int cfg_rd(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t *v)
{
    int rc = vn_tr_cfg_read(tr, off, size, v);
    if (rc)
        vn_log(VN_LOG_ERR, "pci: config read at 0x%x (%u bytes) failed: %d", off, size, rc);
    return rc;
}

static int cfg_wr(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t v)
{
    int rc = vn_tr_cfg_write(tr, off, size, v);
    if (rc)
        vn_log(VN_LOG_ERR, "pci: config write at 0x%x (%u bytes) failed: %d", off, size, rc);
    return rc;
}

/* One vendor capability: decode, validate, and record it if it is a kind we use. */
static int parse_vndr_cap(struct vn_pci *p, uint8_t pos)
{
    uint32_t len, type, bar, off, length, mult = 0;
    int rc;

    if ((rc = cfg_rd(p->tr, pos + VN_VCAP_LEN, 1, &len)))
        return rc;
    if (len < VIRTIO_CAP_MIN_LEN) {
        vn_log(VN_LOG_ERR, "pci: capability at 0x%02x: cap_len %u < %u", pos, len,
               VIRTIO_CAP_MIN_LEN);
        return -EINVAL;
    }
    if (pos + len > VN_CFG_SIZE) {
        vn_log(VN_LOG_ERR, "pci: capability at 0x%02x: cap_len %u runs past config space", pos,
               len);
        return -ERANGE;
    }
    if ((rc = cfg_rd(p->tr, pos + VN_VCAP_CFG_TYPE, 1, &type)) ||
        (rc = cfg_rd(p->tr, pos + VN_VCAP_BAR, 1, &bar)))
        return rc;

    struct vn_pci_region *r;
    uint32_t align = 1;
    switch (type) {
    case VN_VIRTIO_PCI_CAP_COMMON_CFG: r = &p->common; align = 4; break;
    case VN_VIRTIO_PCI_CAP_NOTIFY_CFG: r = &p->notify; align = 2; break;
    case VN_VIRTIO_PCI_CAP_ISR_CFG: r = &p->isr; break;
    case VN_VIRTIO_PCI_CAP_DEVICE_CFG: r = &p->device; align = 4; break;
    case VN_VIRTIO_PCI_CAP_PCI_CFG:
        if (len < VIRTIO_CAP_EXT_LEN) {
            vn_log(VN_LOG_ERR, "pci: PCI_CFG capability at 0x%02x: cap_len %u < %u", pos, len,
                   VIRTIO_CAP_EXT_LEN);
            return -EINVAL;
        }
        if (!p->pcicfg_cap)
            p->pcicfg_cap = pos;
        return 0;
    default:
        return 0; /* vendor data, shared memory, reserved: not ours to use (4.1.4) */
    }
    if (bar > PCI_MAX_BAR) {
        vn_log(VN_LOG_DEBUG, "pci: capability at 0x%02x names bar %u: ignored", pos, bar);
        return 0;
    }
    if (r->present)
        return 0; /* the first of a type is the device's preferred one */
    if (type == VN_VIRTIO_PCI_CAP_NOTIFY_CFG && len < VIRTIO_CAP_EXT_LEN) {
        vn_log(VN_LOG_ERR, "pci: notify capability at 0x%02x: cap_len %u < %u", pos, len,
               VIRTIO_CAP_EXT_LEN);
        return -EINVAL;
    }
    if ((rc = cfg_rd(p->tr, pos + VN_VCAP_OFFSET, 4, &off)) ||
        (rc = cfg_rd(p->tr, pos + VN_VCAP_LENGTH, 4, &length)))
        return rc;
    if (type == VN_VIRTIO_PCI_CAP_NOTIFY_CFG &&
        (rc = cfg_rd(p->tr, pos + VN_VCAP_NOTIFY_MULT, 4, &mult)))
        return rc;
    if (off % align) {
        vn_log(VN_LOG_ERR, "pci: cfg_type %u at bar %u offset 0x%x is not %u-byte aligned", type,
               bar, off, align);
        return -EINVAL;
    }
    if ((uint64_t)off + length > UINT32_MAX) {
        vn_log(VN_LOG_ERR, "pci: cfg_type %u: offset 0x%x + length 0x%x overflows", type, off,
               length);
        return -EINVAL;
    }
    if ((type == VN_VIRTIO_PCI_CAP_COMMON_CFG && length < COMMON_MIN_LEN) || length == 0) {
        vn_log(VN_LOG_ERR, "pci: cfg_type %u: length 0x%x too short", type, length);
        return -EINVAL;
    }
    r->present = 1;
    r->bar = (uint8_t)bar;
    r->off = off;
    r->len = length;
    r->cap = pos;
    if (type == VN_VIRTIO_PCI_CAP_NOTIFY_CFG)
        p->notify_mult = mult;
    return 0;
}

static int parse_msix_cap(struct vn_pci *p, uint8_t pos)
{
    uint32_t ctrl;
    int rc = cfg_rd(p->tr, pos + VN_MSIX_CAP_CTRL, 2, &ctrl);

    if (rc)
        return rc;
    if (!p->msix_cap) {
        p->msix_cap = pos;
        p->msix_entries = (uint16_t)((ctrl & VN_MSIX_CTRL_TSIZE_MASK) + 1);
    }
    return 0;
}

int vn_pci_probe(struct vn_tr *tr, struct vn_pci *p)
{
    uint32_t vendor, device, status, ptr;
    uint8_t seen[VN_CFG_SIZE / 4] = {0};
    int rc;

    if (!tr || !p)
        return -EINVAL;
    memset(p, 0, sizeof *p);
    p->tr = tr;
    if ((rc = cfg_rd(tr, VN_CFG_VENDOR_ID, VN_CFG_VENDOR_ID_SIZE, &vendor)) ||
        (rc = cfg_rd(tr, VN_CFG_DEVICE_ID, VN_CFG_DEVICE_ID_SIZE, &device)) ||
        (rc = cfg_rd(tr, VN_CFG_STATUS, VN_CFG_STATUS_SIZE, &status)))
        return rc;
    if (vendor != VN_PCI_VENDOR_ID || device < VIRTIO_PCI_MODERN_ID_BASE) {
        vn_log(VN_LOG_ERR, "pci: %04x:%04x is not a modern virtio device", vendor, device);
        return -ENODEV;
    }
    if (!(status & VN_PCI_STATUS_CAPLIST)) {
        vn_log(VN_LOG_ERR, "pci: no capability list");
        return -ENODEV;
    }
    if ((rc = cfg_rd(tr, VN_CFG_CAP_PTR, VN_CFG_CAP_PTR_SIZE, &ptr)))
        return rc;

    for (unsigned n = 0; ptr; n++) {
        uint32_t id, next;
        if (ptr % 4) {
            vn_log(VN_LOG_ERR, "pci: capability pointer 0x%02x is not dword aligned", ptr);
            return -EINVAL;
        }
        if (ptr < PCI_STD_HEADER_END || ptr > VN_CFG_SIZE - 4) {
            vn_log(VN_LOG_ERR, "pci: capability pointer 0x%02x outside 0x%02x..0x%02x", ptr,
                   PCI_STD_HEADER_END, VN_CFG_SIZE - 4);
            return -ERANGE;
        }
        if (seen[ptr / 4] || n >= PCI_CAP_MAX) {
            vn_log(VN_LOG_ERR, "pci: capability list loops at 0x%02x", ptr);
            return -ELOOP;
        }
        seen[ptr / 4] = 1;
        if ((rc = cfg_rd(tr, ptr + VN_VCAP_VNDR, 1, &id)) ||
            (rc = cfg_rd(tr, ptr + VN_VCAP_NEXT, 1, &next)))
            return rc;
        if (id == VN_PCI_CAP_ID_VNDR)
            rc = parse_vndr_cap(p, (uint8_t)ptr);
        else if (id == VN_PCI_CAP_ID_MSIX)
            rc = parse_msix_cap(p, (uint8_t)ptr);
        if (rc)
            return rc;
        ptr = next;
    }

    if (!p->common.present || !p->notify.present || !p->isr.present) {
        vn_log(VN_LOG_ERR, "pci: missing virtio structure:%s%s%s",
               p->common.present ? "" : " common", p->notify.present ? "" : " notify",
               p->isr.present ? "" : " isr");
        return -ENODEV;
    }
    if (!p->pcicfg_cap)
        vn_log(VN_LOG_WARN, "pci: no PCI_CFG capability (the spec requires one)");
    return 0;
}

static int set_command(struct vn_pci *p, uint32_t set, uint32_t clear)
{
    uint32_t cmd;
    int rc = cfg_rd(p->tr, VN_CFG_COMMAND, VN_CFG_COMMAND_SIZE, &cmd);

    if (rc)
        return rc;
    return cfg_wr(p->tr, VN_CFG_COMMAND, VN_CFG_COMMAND_SIZE, (cmd | set) & ~clear);
}

int vn_pci_enable(struct vn_pci *p)
{
    return set_command(p, VN_PCI_CMD_MEM | VN_PCI_CMD_MASTER, 0);
}

int vn_pci_disable(struct vn_pci *p)
{
    return set_command(p, 0, VN_PCI_CMD_MASTER);
}

/* ---- common cfg --------------------------------------------------------------------- */

static int common_rd(struct vn_pci *p, uint32_t off, unsigned size, uint32_t *v)
{
    int rc = vn_tr_bar_read(p->tr, p->common.bar, (uint64_t)p->common.off + off, size, v);
    if (rc)
        vn_log(VN_LOG_ERR, "pci: common cfg read at 0x%x failed: %d", off, rc);
    return rc;
}

static int common_wr(struct vn_pci *p, uint32_t off, unsigned size, uint32_t v)
{
    int rc = vn_tr_bar_write(p->tr, p->common.bar, (uint64_t)p->common.off + off, size, v);
    if (rc)
        vn_log(VN_LOG_ERR, "pci: common cfg write at 0x%x failed: %d", off, rc);
    return rc;
}

/* The accessor's C type and the register map's width are checked against each other, so
 * a width change in vionic.def cannot silently truncate a field. */
#define COMMON_GET(field, FIELD, type)                                                     \
    _Static_assert(VN_COMMON_##FIELD##_SIZE == sizeof(type), #field " width");            \
    int vn_pci_get_##field(struct vn_pci *p, type *v)                                       \
    {                                                                                       \
        uint32_t x;                                                                         \
        int rc = common_rd(p, VN_COMMON_##FIELD, sizeof(type), &x);                          \
        if (!rc)                                                                            \
            *v = (type)x;                                                                   \
        return rc;                                                                          \
    }
#define COMMON_SET(field, FIELD, type)                                                     \
    int vn_pci_set_##field(struct vn_pci *p, type v)                                        \
    {                                                                                       \
        return common_wr(p, VN_COMMON_##FIELD, sizeof(type), v);                             \
    }
#define COMMON_RW(field, FIELD, type) COMMON_GET(field, FIELD, type) COMMON_SET(field, FIELD, type)
/* Spec 4.1.3.1: 64-bit fields are two 32-bit accesses, low half first. */
#define COMMON_RW64(field, FIELD)                                                          \
    int vn_pci_get_##field(struct vn_pci *p, uint64_t *v)                                   \
    {                                                                                       \
        uint32_t lo, hi;                                                                    \
        int rc = common_rd(p, VN_COMMON_##FIELD##_LO, 4, &lo);                               \
        if (!rc)                                                                            \
            rc = common_rd(p, VN_COMMON_##FIELD##_HI, 4, &hi);                               \
        if (!rc)                                                                            \
            *v = (uint64_t)hi << 32 | lo;                                                   \
        return rc;                                                                          \
    }                                                                                       \
    int vn_pci_set_##field(struct vn_pci *p, uint64_t v)                                    \
    {                                                                                       \
        int rc = common_wr(p, VN_COMMON_##FIELD##_LO, 4, (uint32_t)v);                       \
        return rc ? rc : common_wr(p, VN_COMMON_##FIELD##_HI, 4, (uint32_t)(v >> 32));       \
    }                                                                                       \
    _Static_assert(VN_COMMON_##FIELD##_LO_SIZE == 4 && VN_COMMON_##FIELD##_HI_SIZE == 4,     \
                   #field " halves")

COMMON_RW(device_feature_select, DEVICE_FEATURE_SELECT, uint32_t)
COMMON_GET(device_feature, DEVICE_FEATURE, uint32_t)
COMMON_RW(driver_feature_select, DRIVER_FEATURE_SELECT, uint32_t)
COMMON_RW(driver_feature, DRIVER_FEATURE, uint32_t)
COMMON_RW(config_msix_vector, CONFIG_MSIX_VECTOR, uint16_t)
COMMON_GET(num_queues, NUM_QUEUES, uint16_t)
COMMON_RW(device_status, DEVICE_STATUS, uint8_t)
COMMON_GET(config_generation, CONFIG_GENERATION, uint8_t)
COMMON_RW(queue_select, QUEUE_SELECT, uint16_t)
COMMON_RW(queue_size, QUEUE_SIZE, uint16_t)
COMMON_RW(queue_msix_vector, QUEUE_MSIX_VECTOR, uint16_t)
COMMON_RW(queue_enable, QUEUE_ENABLE, uint16_t)
COMMON_GET(queue_notify_off, QUEUE_NOTIFY_OFF, uint16_t)
COMMON_RW64(queue_desc, QUEUE_DESC);
COMMON_RW64(queue_driver, QUEUE_DRIVER);
COMMON_RW64(queue_device, QUEUE_DEVICE);
COMMON_GET(queue_notif_config_data, QUEUE_NOTIF_CONFIG_DATA, uint16_t)
COMMON_RW(queue_reset, QUEUE_RESET, uint16_t)

int vn_pci_read_device_features(struct vn_pci *p, uint64_t *features)
{
    uint32_t lo, hi;
    int rc;

    if ((rc = vn_pci_set_device_feature_select(p, 0)) || (rc = vn_pci_get_device_feature(p, &lo)) ||
        (rc = vn_pci_set_device_feature_select(p, 1)) || (rc = vn_pci_get_device_feature(p, &hi)))
        return rc;
    *features = (uint64_t)hi << 32 | lo;
    return 0;
}

int vn_pci_write_driver_features(struct vn_pci *p, uint64_t features)
{
    int rc;

    if ((rc = vn_pci_set_driver_feature_select(p, 0)) ||
        (rc = vn_pci_set_driver_feature(p, (uint32_t)features)) ||
        (rc = vn_pci_set_driver_feature_select(p, 1)) ||
        (rc = vn_pci_set_driver_feature(p, (uint32_t)(features >> 32))))
        return rc;
    return 0;
}

int vn_pci_read_driver_features(struct vn_pci *p, uint64_t *features)
{
    uint32_t lo, hi;
    int rc;

    if ((rc = vn_pci_set_driver_feature_select(p, 0)) || (rc = vn_pci_get_driver_feature(p, &lo)) ||
        (rc = vn_pci_set_driver_feature_select(p, 1)) || (rc = vn_pci_get_driver_feature(p, &hi)))
        return rc;
    *features = (uint64_t)hi << 32 | lo;
    return 0;
}

int vn_pci_reset(struct vn_pci *p, uint64_t timeout_ns)
{
    /* Reset may take the device a while (queues draining); poll at a modest interval. */
    const uint64_t step_ns = p->poll_ns ? p->poll_ns : 1000;
    uint8_t st;
    int rc;

    if ((rc = vn_pci_set_device_status(p, 0)))
        return rc;
    for (uint64_t waited = 0;; waited += step_ns) {
        if ((rc = vn_pci_get_device_status(p, &st)))
            return rc;
        if (st == 0)
            return 0;
        if (waited >= timeout_ns)
            break;
        vn_tr_delay(p->tr, step_ns);
    }
    vn_log(VN_LOG_ERR, "pci: device_status still 0x%02x %llu ns after reset", st,
           (unsigned long long)timeout_ns);
    return -ETIMEDOUT;
}

int vn_pci_queue_reset(struct vn_pci *p, uint16_t queue, uint64_t timeout_ns)
{
    const uint64_t step_ns = p->poll_ns ? p->poll_ns : 1000;
    uint16_t busy = 1, en = 1;
    int rc;

    if ((rc = vn_pci_set_queue_select(p, queue)) || (rc = vn_pci_set_queue_reset(p, 1)))
        return rc;
    /* Linux waits for queue_enable as well: a device may clear them one after the other. */
    for (uint64_t waited = 0;; waited += step_ns) {
        if ((rc = vn_pci_set_queue_select(p, queue)) || (rc = vn_pci_get_queue_reset(p, &busy)) ||
            (rc = vn_pci_get_queue_enable(p, &en)))
            return rc;
        if (!busy && !en)
            return 0;
        if (waited >= timeout_ns)
            break;
        vn_tr_delay(p->tr, step_ns);
    }
    vn_log(VN_LOG_ERR, "pci: queue %u: queue_reset %u, queue_enable %u after %llu ns", queue, busy,
           en, (unsigned long long)timeout_ns);
    return -ETIMEDOUT;
}

int vn_pci_add_status(struct vn_pci *p, uint8_t bits)
{
    uint8_t st;
    int rc = vn_pci_get_device_status(p, &st);

    return rc ? rc : vn_pci_set_device_status(p, (uint8_t)(st | bits));
}

int vn_pci_notify_check(const struct vn_pci *p, uint16_t notify_off)
{
    /* Without NOTIFICATION_DATA the doorbell is a 16-bit write (4.1.4.4.1). */
    if ((uint64_t)notify_off * p->notify_mult + 2 > p->notify.len) {
        vn_log(VN_LOG_ERR, "pci: notify_off %u x %u is outside the %u-byte notify structure",
               notify_off, p->notify_mult, p->notify.len);
        return -ERANGE;
    }
    return 0;
}

int vn_pci_notify_data(struct vn_pci *p, uint16_t notify_off, uint32_t data)
{
    /* NOTIFICATION_DATA: a 32-bit write, so the address must hold 4 bytes (4.1.4.4.1) */
    uint64_t off = (uint64_t)p->notify.off + (uint64_t)notify_off * p->notify_mult;
    if ((uint64_t)notify_off * p->notify_mult + 4 > p->notify.len || off % 4) {
        vn_log(VN_LOG_ERR, "pci: notify_off %u x %u: no aligned 4 bytes in the %u-byte notify "
               "structure", notify_off, p->notify_mult, p->notify.len);
        return -ERANGE;
    }
    return vn_tr_bar_write(p->tr, p->notify.bar, off, 4, data);
}

int vn_pci_notify(struct vn_pci *p, uint16_t notify_off, uint16_t queue)
{
    int rc = vn_pci_notify_check(p, notify_off);

    if (rc)
        return rc;
    uint64_t off = (uint64_t)p->notify.off + (uint64_t)notify_off * p->notify_mult;
    return vn_tr_bar_write(p->tr, p->notify.bar, off, 2, queue);
}

int vn_pci_isr_read(struct vn_pci *p, uint8_t *isr)
{
    uint32_t v;
    int rc = vn_tr_bar_read(p->tr, p->isr.bar, p->isr.off, 1, &v);

    if (!rc)
        *isr = (uint8_t)v;
    return rc;
}

static int check_access(uint32_t off, unsigned size, uint32_t limit)
{
    if ((size != 1 && size != 2 && size != 4) || off % size || (uint64_t)off + size > limit)
        return -EINVAL;
    return 0;
}

int vn_pci_device_read(struct vn_pci *p, uint32_t off, unsigned size, uint32_t *v)
{
    if (!p->device.present)
        return -ENODEV;
    if (check_access(off, size, p->device.len)) {
        vn_log(VN_LOG_ERR, "pci: device cfg read of %u bytes at 0x%x outside 0..0x%x", size, off,
               p->device.len);
        return -EINVAL;
    }
    return vn_tr_bar_read(p->tr, p->device.bar, (uint64_t)p->device.off + off, size, v);
}

int vn_pci_device_read_bytes(struct vn_pci *p, uint32_t off, void *buf, unsigned len)
{
    uint8_t *b = buf;
    uint8_t g0, g1;
    int rc;

    for (int tries = 0; tries < 100; tries++) {
        if ((rc = vn_pci_get_config_generation(p, &g0)))
            return rc;
        for (unsigned i = 0; i < len; i++) {
            uint32_t v;
            if ((rc = vn_pci_device_read(p, off + i, 1, &v)))
                return rc;
            b[i] = (uint8_t)v;
        }
        if ((rc = vn_pci_get_config_generation(p, &g1)))
            return rc;
        if (g0 == g1)
            return 0;
    }
    vn_log(VN_LOG_ERR, "pci: config_generation never settled reading device cfg 0x%x", off);
    return -EAGAIN;
}

static int cfgwin_setup(struct vn_pci *p, uint8_t bar, uint32_t off, unsigned size)
{
    int rc;

    if (!p->pcicfg_cap)
        return -ENODEV;
    if (bar > PCI_MAX_BAR || check_access(off, size, UINT32_MAX))
        return -EINVAL;
    if ((rc = cfg_wr(p->tr, p->pcicfg_cap + VN_VCAP_BAR, 1, bar)) ||
        (rc = cfg_wr(p->tr, p->pcicfg_cap + VN_VCAP_OFFSET, 4, off)) ||
        (rc = cfg_wr(p->tr, p->pcicfg_cap + VN_VCAP_LENGTH, 4, size)))
        return rc;
    return 0;
}

int vn_pci_cfgwin_read(struct vn_pci *p, uint8_t bar, uint32_t off, unsigned size, uint32_t *v)
{
    int rc = cfgwin_setup(p, bar, off, size);

    return rc ? rc : cfg_rd(p->tr, p->pcicfg_cap + VN_VCAP_PCICFG_DATA, size, v);
}

int vn_pci_cfgwin_write(struct vn_pci *p, uint8_t bar, uint32_t off, unsigned size, uint32_t v)
{
    int rc = cfgwin_setup(p, bar, off, size);

    return rc ? rc : cfg_wr(p->tr, p->pcicfg_cap + VN_VCAP_PCICFG_DATA, size, v);
}
