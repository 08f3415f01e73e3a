/* test_ctrlq_packed.c: the control virtqueue in the packed layout (RING_PACKED, virtio 1.2
 * 2.8), served through FDMA, with the ring in fake host memory written as a driver would:
 * chains, the wrap counters across the ring's end, indirect tables, what is not
 * available, the used descriptors, and the used-buffer notification rules. */
#include <stdbool.h>
#include <string.h>

#include "fw.h"
#include "fw_test.h"

#define RING (MOCK_MEM_BASE + 0x1000)   /* the descriptor ring */
#define DRV_EV (MOCK_MEM_BASE + 0x2000) /* driver event suppression: the driver writes it */
#define DEV_EV (MOCK_MEM_BASE + 0x3000) /* device event suppression: the device writes it */
#define BUF (MOCK_MEM_BASE + 0x4000)    /* command buffers, 0x100 each */
#define TABLE (MOCK_MEM_BASE + 0xa000)  /* an indirect table */
#define CQ_VECTOR 5u
#define PACKED (FEATURES_ALL | BIT(VN_F_RING_PACKED))
#define USED_FLAGS(wrap) ((wrap) ? VN_PDESC_F_AVAIL | VN_PDESC_F_USED : 0)
#define AVAIL_FLAGS(wrap) ((wrap) ? VN_PDESC_F_AVAIL : VN_PDESC_F_USED)
#define BOGUS_ID 0xdeadu /* the id of a descriptor that is not the last of its chain */

/* The driver's side of the ring: the next slot it fills and the next it expects a used
 * descriptor at, each with its wrap counter (both 1 at first, 2.8.1). */
static struct {
    uint16_t size;
    uint16_t next, used;
    bool wrap, used_wrap;
} drv;

struct elem {
    uint64_t addr;
    uint32_t len;
    uint16_t flags; /* WRITE, INDIRECT; post() adds NEXT and the wrap bits */
};

static uint8_t status(void)
{
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

static uint64_t buf(unsigned k)
{
    return BUF + 0x100u * k;
}

static uint64_t slot_addr(uint16_t slot)
{
    return RING + 16u * slot;
}

static void step(uint16_t *slot, bool *wrap, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (++*slot == drv.size) {
            *slot = 0;
            *wrap = !*wrap;
        }
}

/* Makes the chain e[0..n) available at the driver's next slots, Buffer ID id in the last
 * descriptor, the first descriptor's flags written last (2.8.6).  Does not kick. */
static void post(const struct elem *e, unsigned n, uint16_t id)
{
    uint16_t first = drv.next, first_flags = 0;
    for (unsigned i = 0; i < n; i++) {
        uint16_t f = e[i].flags | (i + 1 < n ? VN_DESC_F_NEXT : 0) | AVAIL_FLAGS(drv.wrap);
        uint64_t d = slot_addr(drv.next);
        mock_put64(d, e[i].addr);
        mock_put32(d + 8, e[i].len);
        mock_put16(d + VN_PDESC_ID_OFF, i + 1 < n ? BOGUS_ID : id);
        if (i == 0)
            first_flags = f;
        else
            mock_put16(d + VN_PDESC_FLAGS_OFF, f);
        step(&drv.next, &drv.wrap, 1);
    }
    mock_put16(slot_addr(first) + VN_PDESC_FLAGS_OFF, first_flags);
}

/* VQ_PAIRS_SET(pairs) in three elements: header at buf(k), data at buf(k+1), the ack at
 * buf(k+2).  Returns the element count. */
static unsigned pairs_cmd(struct elem *e, unsigned k, uint16_t pairs)
{
    uint8_t *b = mock_mem(buf(k), 2);
    b[0] = VN_CTRL_CLASS_MQ;
    b[1] = VN_CTRL_MQ_VQ_PAIRS_SET;
    mock_put16(buf(k + 1), pairs);
    *mock_mem(buf(k + 2), 1) = 0xee;
    e[0] = (struct elem){buf(k), 2, 0};
    e[1] = (struct elem){buf(k + 1), 2, 0};
    e[2] = (struct elem){buf(k + 2), 1, VN_DESC_F_WRITE};
    return 3;
}

static uint8_t ack(unsigned k)
{
    return *mock_mem(buf(k + 2), 1);
}

/* Posts VQ_PAIRS_SET(pairs) at buf(k) with Buffer ID id, kicks. */
static void pairs(unsigned k, uint16_t pairs_n, uint16_t id)
{
    struct elem e[3];
    post(e, pairs_cmd(e, k, pairs_n), id);
    drv_kick(MOCK_CTRLQ);
}

/* The used descriptor the driver expects next (2.8.6): at its used slot, flags with its
 * used wrap counter and WRITE; then the driver skips the chain's slots. */
static void take_used(unsigned slots, uint16_t id, uint32_t len, const char *what)
{
    uint64_t d = slot_addr(drv.used);
    uint16_t want = USED_FLAGS(drv.used_wrap) | VN_DESC_F_WRITE;
    uint16_t flags = mock_get16(d + VN_PDESC_FLAGS_OFF);
    CHECK(flags == want, "%s: flags 0x%x at slot %u, want 0x%x", what, flags, drv.used, want);
    CHECK(mock_get16(d + VN_PDESC_ID_OFF) == id, "%s: id 0x%x, want 0x%x", what,
          mock_get16(d + VN_PDESC_ID_OFF), id);
    CHECK(mock_get32(d + 8) == len, "%s: len %u, want %u", what, mock_get32(d + 8), len);
    step(&drv.used, &drv.used_wrap, slots);
}

/* Nothing used at the driver's next used slot. */
static void none_used(const char *what)
{
    uint16_t f = mock_get16(slot_addr(drv.used) + VN_PDESC_FLAGS_OFF);
    bool avail = (f & VN_PDESC_F_AVAIL) != 0, used = (f & VN_PDESC_F_USED) != 0;
    CHECK(!(avail == used && used == drv.used_wrap), "%s: slot %u used (flags 0x%x)", what,
          drv.used, f);
}

static void set_driver_event(uint16_t off_wrap, uint16_t flags)
{
    mock_put16(DRV_EV, off_wrap);
    mock_put16(DRV_EV + 2, flags);
}

static void setup_vec(uint64_t features, uint16_t size, uint16_t vector, bool driver_ok)
{
    drv.size = size;
    drv.next = drv.used = 0;
    drv.wrap = drv.used_wrap = true;
    mock.fdma_busy_reads = 3; /* make firmware wait on the mailbox */
    mock_put32(DEV_EV, 0xffffffffu); /* what the device has to overwrite */
    CHECK(drv_negotiate(features) & VN_STATUS_FEATURES_OK, "FEATURES_OK");
    drv_queue_setup(MOCK_CTRLQ, size, vector, RING, DRV_EV, DEV_EV);
    drv_queue_enable(MOCK_CTRLQ);
    if (driver_ok)
        drv_status_add(VN_STATUS_DRIVER_OK);
}

static void setup(uint64_t features, uint16_t size)
{
    setup_vec(features, size, CQ_VECTOR, true);
}

static void healthy(const char *what)
{
    CHECK(!(status() & VN_STATUS_NEEDS_RESET), "%s: no NEEDS_RESET", what);
    CHECK(mock.fdma_faults == 0, "%s: FDMA stayed inside host memory", what);
}

static void single_command(void)
{
    setup(PACKED, 8);
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL) & VN_DEV_CTRL_PACKED, VN_DEV_CTRL_PACKED,
             "DEV_CTRL.PACKED");
    unsigned mark = mock.log_len;
    pairs(0, 3, 7);
    CHECK_EQ(ack(0), VN_CTRL_OK, "ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 3, "RX_QUEUE_PAIRS");
    take_used(3, 7, 1, "first");
    /* len and id reach memory before the flags that make them the driver's */
    int idlen = mock_find_write(mark, VN_FW_FDMA_ADDR_LO, (uint32_t)slot_addr(0) + 8u);
    int flags = mock_find_write(mark, VN_FW_FDMA_ADDR_LO,
                                (uint32_t)slot_addr(0) + VN_PDESC_FLAGS_OFF);
    CHECK(idlen >= 0 && flags > idlen, "id/len written (%d) before the flags (%d)", idlen,
          flags);
    /* the chain's other slots are the driver's: untouched */
    CHECK_EQ(mock_get16(slot_addr(1) + VN_PDESC_FLAGS_OFF),
             VN_PDESC_F_AVAIL | VN_DESC_F_NEXT, "slot 1 as the driver wrote it");
    CHECK_EQ(mock_get16(slot_addr(2) + VN_PDESC_ID_OFF), 7, "slot 2 as the driver wrote it");
    CHECK_EQ(mock.msi_count, 1, "one interrupt");
    CHECK_EQ(mock.msi[0], CQ_VECTOR, "on the control queue's vector");

    /* the next one goes after the chain */
    pairs(3, 2, 1);
    CHECK_EQ(ack(3), VN_CTRL_OK, "second ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 2, "RX_QUEUE_PAIRS again");
    take_used(3, 1, 1, "second");
    none_used("nothing more");
    CHECK_EQ(mock.msi_count, 2, "an interrupt each");
    healthy("single");
}

static void one_descriptor_command(void)
{
    setup(PACKED, 8);
    uint8_t *b = mock_mem(buf(0), 4);
    b[0] = VN_CTRL_CLASS_MQ;
    b[1] = VN_CTRL_MQ_VQ_PAIRS_SET;
    b[2] = 4;
    b[3] = 0;
    *mock_mem(buf(1), 1) = 0xee;
    struct elem e[2] = {{buf(0), 4, 0}, {buf(1), 1, VN_DESC_F_WRITE}};
    post(e, 2, 3);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(*mock_mem(buf(1), 1), VN_CTRL_OK, "ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 4, "RX_QUEUE_PAIRS");
    take_used(2, 3, 1, "used");
    healthy("one descriptor");
}

/* A ring of 5 (not a power of two): three-slot chains cross its end again and again, the
 * wrap counters flip, and the used flags show the device's. */
static void chains_across_ring_end(void)
{
    unsigned seen[2] = {0, 0}; /* used descriptors written with wrap counter 0, 1 */
    setup(PACKED, 5);
    for (unsigned i = 0; i < 7; i++) {
        bool crosses = drv.next + 3u > drv.size;
        pairs(3 * i, (uint16_t)(1 + i % MOCK_PAIRS), (uint16_t)(100 + i));
        CHECK(ack(3 * i) == VN_CTRL_OK, "command %u: ack %u", i, ack(3 * i));
        CHECK(mock_reg(VN_FW_RX_QUEUE_PAIRS) == 1 + i % MOCK_PAIRS, "command %u: pairs", i);
        seen[drv.used_wrap]++;
        take_used(3, (uint16_t)(100 + i), 1, crosses ? "across the end" : "inside");
        none_used("nothing more");
    }
    CHECK_EQ(mock.msi_count, 7, "an interrupt each");
    /* chains from slots 0, 3 (to 0), 1, 4 (to 1), 2 (to 4), 0, 3 (to 0): the used flags of
     * the 3rd, 4th, 6th and 7th show wrap counter 0 (AVAIL = USED = 0), the others 1 */
    CHECK_EQ(seen[0], 4, "used descriptors of wrap 0");
    CHECK_EQ(seen[1], 3, "used descriptors of wrap 1");
    CHECK_EQ(drv.next, 1, "driver slot after 21 slots");
    CHECK_EQ(drv.wrap, true, "four laps: wrap counter 1 again");
    healthy("wrap");
}

/* Two chains made available, one kick: both served in ring order, one interrupt. */
static void batch(void)
{
    setup(PACKED, 8);
    struct elem e[3];
    post(e, pairs_cmd(e, 0, 2), 10);
    post(e, pairs_cmd(e, 3, 4), 11);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), VN_CTRL_OK, "first ack");
    CHECK_EQ(ack(3), VN_CTRL_OK, "second ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 4, "the later command wins");
    take_used(3, 10, 1, "first");
    take_used(3, 11, 1, "second");
    CHECK_EQ(mock.msi_count, 1, "one interrupt for the batch");
    healthy("batch");
}

/* The command's elements in an indirect table (NEXT and a bogus id in its entries mean
 * nothing there): one ring slot. */
static void indirect_command(void)
{
    setup(PACKED, 8);
    struct elem t[3];
    pairs_cmd(t, 0, 3);
    for (uint16_t i = 0; i < 3; i++)
        mock_put_pdesc(TABLE, i, t[i].addr, t[i].len, BOGUS_ID,
                       (uint16_t)(t[i].flags | (i < 2 ? VN_DESC_F_NEXT : 0)));
    struct elem e = {TABLE, 3 * 16, VN_DESC_F_INDIRECT};
    post(&e, 1, 4);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), VN_CTRL_OK, "ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 3, "pairs set");
    take_used(1, 4, 1, "indirect");
    /* a direct command in the next slot */
    pairs(3, 2, 5);
    CHECK_EQ(ack(3), VN_CTRL_OK, "next ack");
    take_used(3, 5, 1, "after the indirect one");
    healthy("indirect");
}

/* The reply (VQ_GET) goes before the ack, and len counts both. */
static void reply_len(void)
{
    drv.size = 8;
    drv.next = drv.used = 0;
    drv.wrap = drv.used_wrap = true;
    (void)drv_negotiate(PACKED);
    drv_queue_setup(0, 100, 1, MOCK_MEM_BASE + 0xc000, MOCK_MEM_BASE + 0xd000,
                    MOCK_MEM_BASE + 0xd100);
    drv_queue_enable(0);
    drv_queue_setup(MOCK_CTRLQ, 8, CQ_VECTOR, RING, DRV_EV, DEV_EV);
    drv_queue_enable(MOCK_CTRLQ);
    drv_status_add(VN_STATUS_DRIVER_OK);

    uint8_t *b = mock_mem(buf(0), 10);
    b[0] = VN_CTRL_CLASS_NOTF_COAL;
    b[1] = VN_CTRL_NOTF_COAL_RX_SET;
    mock_put32(buf(0) + 2, 7);
    mock_put32(buf(0) + 6, 9);
    struct elem set[2] = {{buf(0), 10, 0}, {buf(1), 1, VN_DESC_F_WRITE}};
    post(set, 2, 1);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(*mock_mem(buf(1), 1), VN_CTRL_OK, "RX_SET ack");
    take_used(2, 1, 1, "RX_SET");

    b = mock_mem(buf(2), 6);
    b[0] = VN_CTRL_CLASS_NOTF_COAL;
    b[1] = VN_CTRL_NOTF_COAL_VQ_GET;
    mock_put32(buf(2) + 2, 0); /* vq 0, reserved */
    memset(mock_mem(buf(3), 9), 0xee, 9);
    struct elem get[3] = {{buf(2), 6, 0}, {buf(3), 4, VN_DESC_F_WRITE},
                          {buf(3) + 4, 5, VN_DESC_F_WRITE}};
    post(get, 3, 2);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock_get32(buf(3)), 7, "max_packets");
    CHECK_EQ(mock_get32(buf(3) + 4), 9, "max_usecs");
    CHECK_EQ(*mock_mem(buf(3) + 8, 1), VN_CTRL_OK, "ack after the reply");
    take_used(3, 2, 9, "VQ_GET: reply and ack");
    healthy("reply");
}

/* Descriptors that are not available to the device now (2.8.1): not served, no error. */
static void unavailable_not_served(void)
{
    static const uint16_t bad[] = {
        0,                                    /* as the driver zeroed the ring */
        VN_PDESC_F_AVAIL | VN_PDESC_F_USED,   /* a used one of wrap 1 */
        VN_PDESC_F_USED,                      /* available for wrap 0, not for 1 */
        0 | VN_DESC_F_NEXT,                   /* a used one of wrap 0 */
    };
    setup(PACKED, 8);
    struct elem e[3];
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        drv.next = 0;
        drv.wrap = true;
        post(e, pairs_cmd(e, 0, 3), 9);
        mock_put16(slot_addr(0) + VN_PDESC_FLAGS_OFF, bad[i]);
        drv_kick(MOCK_CTRLQ);
        CHECK(ack(0) == 0xee, "case %u: not executed", i);
        CHECK(mock_reg(VN_FW_RX_QUEUE_PAIRS) == 1, "case %u: RX_QUEUE_PAIRS unchanged", i);
        CHECK(mock_get16(slot_addr(0) + VN_PDESC_FLAGS_OFF) == bad[i] &&
                  mock_get32(slot_addr(0) + 8) == 2,
              "case %u: the slot not written", i);
    }
    CHECK_EQ(mock.msi_count, 0, "no interrupt");
    healthy("unavailable");
    /* made available: served from the same slot */
    drv.next = 0;
    drv.wrap = true;
    pairs(0, 3, 9);
    CHECK_EQ(ack(0), VN_CTRL_OK, "served once available");
    take_used(3, 9, 1, "then used");
}

static void served_at_driver_ok(void)
{
    setup_vec(PACKED, 8, CQ_VECTOR, false);
    pairs(0, 2, 6);
    CHECK_EQ(ack(0), 0xee, "nothing consumed before DRIVER_OK");
    none_used("nothing used before DRIVER_OK");
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(ack(0), VN_CTRL_OK, "served at DRIVER_OK");
    take_used(3, 6, 1, "used");
}

/* The device's event suppression: ENABLE from the enable on, whatever was in memory,
 * with EVENT_IDX too (the device never asks the driver to hold its kicks). */
static void device_event_enable(void)
{
    setup_vec(PACKED | BIT(VN_F_EVENT_IDX), 8, CQ_VECTOR, false);
    CHECK_EQ(mock_get16(DEV_EV + 2), VN_EVENT_F_ENABLE, "flags ENABLE at enable");
    CHECK_EQ(mock_get16(DEV_EV), 0, "off_wrap");
    drv_status_add(VN_STATUS_DRIVER_OK);
    mock_put32(DEV_EV, 0);
    for (unsigned i = 0; i < 4; i++) {
        pairs(3 * i, 2, (uint16_t)i);
        take_used(3, (uint16_t)i, 1, "served");
    }
    CHECK_EQ(mock_get32(DEV_EV), 0, "still ENABLE after commands");
}

static void notify_enable_disable(void)
{
    setup(PACKED, 8);
    set_driver_event(0, VN_EVENT_F_DISABLE);
    pairs(0, 2, 1);
    CHECK_EQ(ack(0), VN_CTRL_OK, "served with DISABLE");
    take_used(3, 1, 1, "used");
    CHECK_EQ(mock.msi_count, 0, "DISABLE: no interrupt");
    set_driver_event(0, VN_EVENT_F_ENABLE);
    pairs(3, 2, 2);
    take_used(3, 2, 1, "used");
    CHECK_EQ(mock.msi_count, 1, "ENABLE: an interrupt");
    /* DESC without EVENT_IDX is not valid: the driver still gets its interrupt */
    set_driver_event(0x8000u | 6u, VN_EVENT_F_DESC);
    pairs(6, 2, 3);
    take_used(3, 3, 1, "used");
    CHECK_EQ(mock.msi_count, 2, "DESC without EVENT_IDX: an interrupt");
    healthy("enable/disable");
}

static void no_vector_no_interrupt(void)
{
    setup_vec(PACKED, 8, (uint16_t)VN_MSIX_NO_VECTOR, true);
    pairs(0, 2, 1);
    CHECK_EQ(ack(0), VN_CTRL_OK, "ack");
    CHECK_EQ(mock.msi_count, 0, "no interrupt without a vector");
}

/* EVENT_IDX: DESC asks for an interrupt once the used descriptor at off_wrap is written
 * or passed; the decision is QEMU's (the first one after enable, and the first after the
 * used slot wrapped, always notify; off_wrap of the other lap counts as the previous). */
static void notify_desc_event_idx(void)
{
    static const struct {
        uint16_t off_wrap; /* the driver's event before the command */
        unsigned msi;      /* interrupts after it */
        const char *why;
    } c[] = {
        {0x8000u | 9u, 1, "first decision after enable"}, /* slots 0-2 */
        {0x8000u | 9u, 1, "before the event slot"},       /* 3-5 */
        {0x8000u | 9u, 1, "the slot before it"},          /* 6-8 */
        {0x8000u | 9u, 2, "used descriptor at the slot"}, /* 9-11 */
        {2u, 2, "slot of the other lap"},                 /* 12-14 */
        {2u, 3, "the used slot wrapped"},                 /* 15, 0, 1 */
        {2u, 4, "at the slot, this lap"},                 /* 2-4 */
        {0x8000u | 6u, 4, "slot 6 of the other lap"},     /* 5-7 */
        {9u, 5, "the slot inside the chain: passed"},     /* 8-10 */
        {0x8000u | 9u, 5, "the other lap again"},         /* 11-13 */
    };
    setup(PACKED | BIT(VN_F_EVENT_IDX), 16);
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
        set_driver_event(c[i].off_wrap, VN_EVENT_F_DESC);
        pairs(3 * i, 2, (uint16_t)i);
        CHECK(ack(3 * i) == VN_CTRL_OK, "case %u: ack", i);
        take_used(3, (uint16_t)i, 1, c[i].why);
        CHECK(mock.msi_count == c[i].msi, "case %u (%s): %u interrupts, want %u", i, c[i].why,
              mock.msi_count, c[i].msi);
    }
    /* DISABLE holds with EVENT_IDX too, ENABLE sends */
    set_driver_event(0, VN_EVENT_F_DISABLE);
    pairs(60, 2, 20);
    take_used(3, 20, 1, "DISABLE");
    CHECK_EQ(mock.msi_count, 5, "DISABLE with EVENT_IDX");
    set_driver_event(0, VN_EVENT_F_ENABLE);
    pairs(0, 2, 21);
    take_used(3, 21, 1, "ENABLE");
    CHECK_EQ(mock.msi_count, 6, "ENABLE with EVENT_IDX");
    healthy("desc");
}

/* A chain as long as the ring is allowed; one longer is not (2.8.17). */
static void chain_as_long_as_ring(void)
{
    setup(PACKED, 4);
    uint8_t *b = mock_mem(buf(0), 4);
    b[0] = VN_CTRL_CLASS_MQ;
    b[1] = VN_CTRL_MQ_VQ_PAIRS_SET;
    b[2] = 3;
    b[3] = 0;
    *mock_mem(buf(3), 1) = 0xee;
    struct elem e[4] = {{buf(0), 1, 0}, {buf(0) + 1, 1, 0}, {buf(0) + 2, 2, 0},
                        {buf(3), 1, VN_DESC_F_WRITE}};
    post(e, 4, 2);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(*mock_mem(buf(3), 1), VN_CTRL_OK, "ack");
    take_used(4, 2, 1, "the whole ring");
    healthy("whole ring");
}

static void hostile(const char *what)
{
    drv_kick(MOCK_CTRLQ);
    CHECK(status() & VN_STATUS_NEEDS_RESET, "%s: NEEDS_RESET", what);
    CHECK(mock.cfg_irqs == 1, "%s: one config interrupt (%u)", what, mock.cfg_irqs);
    none_used(what);
    /* the queue is not served again until reset */
    unsigned cmds = mock.fdma_cmds;
    drv_kick(MOCK_CTRLQ);
    CHECK(mock.fdma_cmds == cmds, "%s: no more DMA", what);
}

static void hostile_chain_longer_than_ring(void)
{
    setup(PACKED, 4);
    struct elem e[4];
    for (unsigned i = 0; i < 4; i++)
        e[i] = (struct elem){buf(i), 2, i == 3 ? VN_DESC_F_NEXT : 0};
    post(e, 4, 1);
    hostile("every slot with NEXT");
}

static void hostile_no_ack(void)
{
    setup(PACKED, 8);
    struct elem e = {buf(0), 2, 0};
    mock_mem(buf(0), 2)[0] = VN_CTRL_CLASS_MQ;
    post(&e, 1, 1);
    hostile("no writable ack");
}

static void hostile_readable_after_writable(void)
{
    setup(PACKED, 8);
    struct elem e[2] = {{buf(0), 1, VN_DESC_F_WRITE}, {buf(1), 2, 0}};
    post(e, 2, 1);
    hostile("readable after writable");
}

static void hostile_indirect_without_feature(void)
{
    setup(PACKED & ~BIT(VN_F_INDIRECT_DESC), 8);
    struct elem e = {TABLE, 32, VN_DESC_F_INDIRECT};
    post(&e, 1, 1);
    hostile("indirect without INDIRECT_DESC");
}

static void hostile_indirect_with_next(void)
{
    setup(PACKED, 8);
    struct elem e[2] = {{TABLE, 32, VN_DESC_F_INDIRECT}, {buf(1), 1, VN_DESC_F_WRITE}};
    post(e, 2, 1);
    hostile("indirect with NEXT");
}

static void hostile_indirect_in_chain(void)
{
    setup(PACKED, 8);
    struct elem e[2] = {{buf(0), 2, 0}, {TABLE, 32, VN_DESC_F_INDIRECT}};
    post(e, 2, 1);
    hostile("indirect after a direct descriptor");
}

static void hostile_indirect_bad_len(void)
{
    setup(PACKED, 8);
    struct elem e = {TABLE, 24, VN_DESC_F_INDIRECT};
    post(&e, 1, 1);
    hostile("indirect table of 24 bytes");
}

static void huge_length_answers_err(void)
{
    /* a readable descriptor claiming 4 GiB: a command too long to keep is not read */
    setup(PACKED, 8);
    mock_mem(buf(0), 2)[0] = VN_CTRL_CLASS_MQ;
    mock_mem(buf(0), 2)[1] = VN_CTRL_MQ_VQ_PAIRS_SET;
    *mock_mem(buf(1), 1) = 0xee;
    struct elem e[2] = {{MOCK_MEM_BASE + MOCK_MEM_SIZE - 64, 0xffffffffu, 0},
                        {buf(1), 1, VN_DESC_F_WRITE}};
    post(e, 2, 1);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(*mock_mem(buf(1), 1), VN_CTRL_ERR, "ack");
    take_used(2, 1, 1, "answered");
    healthy("huge");
}

/* A device reset, and a reset of the control queue alone (RING_RESET), start the ring
 * afresh: slot 0, wrap counters 1. */
static void resets_restart_ring(void)
{
    setup(PACKED, 5);
    for (unsigned i = 0; i < 2; i++) {
        pairs(3 * i, 2, (uint16_t)i);
        take_used(3, (uint16_t)i, 1, "before the reset");
    }
    CHECK(!drv.wrap, "the driver's wrap counter flipped");
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    memset(mock_mem(RING, 0x100), 0, 0x100); /* the driver's new ring */
    setup(PACKED, 5);
    pairs(0, 3, 7);
    CHECK_EQ(ack(0), VN_CTRL_OK, "ack after the device reset");
    take_used(3, 7, 1, "slot 0, wrap 1");

    pairs(3, 2, 8); /* across the end again */
    take_used(3, 8, 1, "across");
    drv_write(VN_COMMON_QUEUE_SELECT, 2, MOCK_CTRLQ);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_RESET, 2), 0, "queue reset done");
    memset(mock_mem(RING, 0x100), 0, 0x100);
    mock_put32(DEV_EV, 0xffffffffu);
    drv.next = drv.used = 0;
    drv.wrap = drv.used_wrap = true;
    drv_queue_setup(MOCK_CTRLQ, 5, CQ_VECTOR, RING, DRV_EV, DEV_EV);
    drv_queue_enable(MOCK_CTRLQ);
    CHECK_EQ(mock_get32(DEV_EV), 0, "device event suppression ENABLE again");
    pairs(6, 4, 9);
    CHECK_EQ(ack(6), VN_CTRL_OK, "ack after the queue reset");
    take_used(3, 9, 1, "slot 0, wrap 1 again");
    healthy("resets");
}

int main(void)
{
    t_run("single_command", single_command);
    t_run("one_descriptor_command", one_descriptor_command);
    t_run("chains_across_ring_end", chains_across_ring_end);
    t_run("batch", batch);
    t_run("indirect_command", indirect_command);
    t_run("reply_len", reply_len);
    t_run("unavailable_not_served", unavailable_not_served);
    t_run("served_at_driver_ok", served_at_driver_ok);
    t_run("device_event_enable", device_event_enable);
    t_run("notify_enable_disable", notify_enable_disable);
    t_run("no_vector_no_interrupt", no_vector_no_interrupt);
    t_run("notify_desc_event_idx", notify_desc_event_idx);
    t_run("chain_as_long_as_ring", chain_as_long_as_ring);
    t_run("hostile_chain_longer_than_ring", hostile_chain_longer_than_ring);
    t_run("hostile_no_ack", hostile_no_ack);
    t_run("hostile_readable_after_writable", hostile_readable_after_writable);
    t_run("hostile_indirect_without_feature", hostile_indirect_without_feature);
    t_run("hostile_indirect_with_next", hostile_indirect_with_next);
    t_run("hostile_indirect_in_chain", hostile_indirect_in_chain);
    t_run("hostile_indirect_bad_len", hostile_indirect_bad_len);
    t_run("huge_length_answers_err", huge_length_answers_err);
    t_run("resets_restart_ring", resets_restart_ring);
    return t_summary();
}
