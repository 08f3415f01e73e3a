/* Split- and packed-ring tests: a device model written from the spec's layout reads the
 * rings by IOVA through the mock transport, so the driver side is checked against the
 * layout, not against itself. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mock_tr.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_vq.h"

static struct mock_tr mock;

/* ---- tests -------------------------------------------------------------------------- */

static void test_create(void)
{
    static const unsigned bad[] = {0, 3, 6, 1000, 65536, 32769};
    struct vn_vq *vq;

    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(vn_vq_create(&mock.tr, bad[i], false, &vq), -EINVAL);
        CHECK(vq == NULL);
    }
    for (unsigned size = 1; size <= VN_VQ_MAX_SIZE; size *= 2) {
        int rc = vn_vq_create(&mock.tr, size, false, &vq);
        CHECK_EQ(rc, 0);
        if (rc)
            continue;
        CHECK_EQ(vn_vq_size(vq), size);
        CHECK_EQ(vn_vq_num_free(vq), size);
        CHECK_EQ(vn_vq_desc_iova(vq) % 16, 0);
        CHECK_EQ(vn_vq_driver_iova(vq) % 2, 0);
        CHECK_EQ(vn_vq_device_iova(vq) % 4, 0);
        CHECK_EQ(vn_vq_driver_iova(vq) - vn_vq_desc_iova(vq), 16u * size);
        CHECK(vn_vq_device_iova(vq) >= vn_vq_driver_iova(vq) + 6u + 2u * size);
        /* The whole used ring incl. avail_event lies inside the allocation. */
        CHECK(mock_iova_va(&mock, vn_vq_device_iova(vq), 6u + 8u * size) != NULL);
        void *va = mock_iova_va(&mock, vn_vq_desc_iova(vq), 1);
        CHECK((uint64_t)(uintptr_t)va != vn_vq_desc_iova(vq));
        vn_vq_destroy(vq);
    }
    CHECK_EQ(mock.dma_live, 0);
}

static void test_chain(void)
{
    struct vn_vq *vq;
    struct mock_ring d;
    struct mock_seg seg[16];
    unsigned nseg;
    uint16_t head, dh;
    int cookie_obj;

    CHECK_EQ(vn_vq_create(&mock.tr, 16, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    struct vn_vq_seg out[2] = {{0x1000, 12}, {0x2000, 100}};
    struct vn_vq_seg in[3] = {{0x3000, 64}, {0x4000, 64}, {0x5000, 32}};
    CHECK_EQ(vn_vq_add(vq, out, 2, in, 3, &cookie_obj, &head), 0);
    CHECK_EQ(vn_vq_num_free(vq), 11);
    CHECK_EQ(vn_vq_inflight(vq), 1);
    CHECK_EQ(mock_ring_avail_idx(&d), 1);
    CHECK_EQ(mock_ring_pop(&d, &dh, seg, &nseg), 0);
    CHECK_EQ(dh, head);
    CHECK_EQ(nseg, 5);
    for (unsigned i = 0; i < 5 && i < nseg; i++) {
        const struct vn_vq_seg *s = i < 2 ? &out[i] : &in[i - 2];
        CHECK_EQ(seg[i].addr, s->iova);
        CHECK_EQ(seg[i].len, s->len);
        CHECK_EQ(!!(seg[i].flags & VN_DESC_F_WRITE), i >= 2);
        CHECK_EQ(!!(seg[i].flags & VN_DESC_F_NEXT), i < 4);
        CHECK_EQ(seg[i].flags & VN_DESC_F_INDIRECT, 0);
    }
    CHECK_EQ(vn_vq_used_pending(vq), 0);
    mock_ring_push(&d, dh, 150);
    CHECK_EQ(vn_vq_used_pending(vq), 1);
    uint32_t len = 0;
    void *cookie = NULL;
    uint16_t id = 0xffff;
    CHECK_EQ(vn_vq_get_used(vq, &len, &cookie, &id), 0);
    CHECK_EQ(len, 150);
    CHECK(cookie == &cookie_obj);
    CHECK_EQ(id, head);
    CHECK_EQ(vn_vq_num_free(vq), 16);
    CHECK_EQ(vn_vq_inflight(vq), 0);
    CHECK_EQ(vn_vq_get_used(vq, &len, &cookie, &id), -EAGAIN);

    /* Empty chains and zero-length segments are refused without side effects. */
    struct vn_vq_seg zero = {0x1000, 0};
    CHECK_EQ(vn_vq_add(vq, NULL, 0, NULL, 0, NULL, NULL), -EINVAL);
    CHECK_EQ(vn_vq_add(vq, &zero, 1, NULL, 0, NULL, NULL), -EINVAL);
    CHECK_EQ(vn_vq_add(vq, out, 1, &zero, 1, NULL, NULL), -EINVAL);
    CHECK_EQ(vn_vq_num_free(vq), 16);
    CHECK_EQ(mock_ring_avail_idx(&d), 1);
    /* Device-writable only (an RX buffer). */
    CHECK_EQ(vn_vq_add(vq, NULL, 0, in, 1, NULL, &head), 0);
    CHECK_EQ(mock_ring_pop(&d, &dh, seg, &nseg), 0);
    CHECK_EQ(nseg, 1);
    CHECK_EQ(seg[0].flags, VN_DESC_F_WRITE);
    vn_vq_destroy(vq);
}

/* Many more operations than 65536 through a small ring: both idx fields wrap. */
static void test_wrap(void)
{
    struct vn_vq *vq;
    struct mock_ring d;
    struct mock_seg seg[4];
    unsigned nseg, bad = 0;
    uint16_t head;
    const unsigned rounds = 70000;

    CHECK_EQ(vn_vq_create(&mock.tr, 4, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    for (unsigned r = 0; r < rounds; r++) {
        /* Two chains in flight at a time, of varying length, completed in order. */
        struct vn_vq_seg s[2] = {{0x10000u + r, 1 + r % 7}, {0x20000u + r, 8}};
        unsigned n = 1 + r % 2;
        if (vn_vq_add(vq, s, 1, s + 1, n - 1, (void *)&s[0], NULL)) {
            bad++;
            break;
        }
        if (mock_ring_pop(&d, &head, seg, &nseg) || nseg != n || seg[0].addr != 0x10000u + r ||
            seg[0].len != 1 + r % 7)
            bad++;
        mock_ring_push(&d, head, n == 2 ? 8 : 0);
        uint32_t len;
        if (vn_vq_get_used(vq, &len, NULL, NULL) || len != (n == 2 ? 8u : 0u))
            bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(mock_ring_avail_idx(&d), rounds & 0xffff);
    CHECK_EQ(mock_get(d.used, 2, 2), rounds & 0xffff);
    CHECK_EQ(vn_vq_num_free(vq), 4);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EAGAIN);
    vn_vq_destroy(vq);
}

static void test_free_list(void)
{
    struct vn_vq *vq;
    struct mock_ring d;
    struct mock_seg seg[8];
    unsigned nseg;
    uint16_t heads[8], h;
    int tags[8];

    CHECK_EQ(vn_vq_create(&mock.tr, 8, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    struct vn_vq_seg s = {0x1000, 10};
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, &tags[i], &heads[i]), 0);
    CHECK_EQ(vn_vq_num_free(vq), 0);
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), -ENOSPC);
    /* All heads distinct. */
    unsigned seen = 0;
    for (unsigned i = 0; i < 8; i++)
        seen |= 1u << heads[i];
    CHECK_EQ(seen, 0xff);
    /* Complete out of order: 5, 2, 7. */
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ(mock_ring_pop(&d, &h, seg, &nseg), 0);
    const unsigned order[3] = {5, 2, 7};
    for (unsigned i = 0; i < 3; i++)
        mock_ring_push(&d, heads[order[i]], 0);
    for (unsigned i = 0; i < 3; i++) {
        void *c;
        CHECK_EQ(vn_vq_get_used(vq, NULL, &c, NULL), 0);
        CHECK(c == &tags[order[i]]);
    }
    CHECK_EQ(vn_vq_num_free(vq), 3);
    struct vn_vq_seg four[4] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}};
    CHECK_EQ(vn_vq_add(vq, four, 2, four + 2, 2, NULL, NULL), -ENOSPC);
    CHECK_EQ(vn_vq_num_free(vq), 3);
    /* A 3-descriptor chain over the reused, scattered descriptors. */
    CHECK_EQ(vn_vq_add(vq, four, 1, four + 1, 2, &tags[0], &h), 0);
    CHECK_EQ(vn_vq_num_free(vq), 0);
    uint16_t dh;
    CHECK_EQ(mock_ring_pop(&d, &dh, seg, &nseg), 0);
    CHECK_EQ(dh, h);
    CHECK_EQ(nseg, 3);
    CHECK_EQ(seg[0].addr, 1);
    CHECK_EQ(seg[1].addr, 2);
    CHECK_EQ(seg[2].addr, 3);
    CHECK_EQ(seg[2].flags, VN_DESC_F_WRITE);
    /* The chain only uses descriptors that were free: 2, 5 and 7. */
    CHECK((h == heads[2] || h == heads[5] || h == heads[7]));

    /* Completing everything frees every descriptor again. */
    for (unsigned i = 0; i < 8; i++)
        if (i != 2 && i != 5 && i != 7)
            mock_ring_push(&d, heads[i], 0);
    mock_ring_push(&d, h, 5);
    for (unsigned i = 0; i < 6; i++)
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
    CHECK_EQ(vn_vq_num_free(vq), 8);
    vn_vq_destroy(vq);
}

static void count_cookie(void *ctx, void *cookie)
{
    (void)cookie;
    (*(unsigned *)ctx)++;
}

static void test_detach(void)
{
    struct vn_vq *vq;
    unsigned count = 0;
    struct vn_vq_seg s = {0x1000, 10};

    CHECK_EQ(vn_vq_create(&mock.tr, 8, false, &vq), 0);
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(vn_vq_add(vq, &s, 1, &s, 1, &s, NULL), 0);
    vn_vq_disable_cb(vq);
    vn_vq_detach_all(vq, count_cookie, &count);
    CHECK_EQ(count, 3);
    /* Interrupt suppression survives: it is the owner's choice, not ring state. */
    struct mock_ring d;
    mock_ring_attach(&d, &mock, vq);
    CHECK_EQ(mock_ring_avail_flags(&d), VN_AVAIL_F_NO_INTERRUPT);
    CHECK_EQ(vn_vq_num_free(vq), 8);
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    vn_vq_destroy(vq);
}

static void test_used_parsing(void)
{
    struct vn_vq *vq;
    struct mock_ring d;
    struct mock_seg seg[4];
    unsigned nseg;
    uint16_t h;
    struct vn_vq_seg o = {0x1000, 10}, in = {0x2000, 100};

    /* id beyond the ring */
    CHECK_EQ(vn_vq_create(&mock.tr, 8, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, NULL), 0);
    mock_ring_push(&d, 8, 0);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
    CHECK_EQ(vn_vq_add(vq, &o, 1, NULL, 0, NULL, NULL), -EIO); /* broken stays broken */
    vn_vq_destroy(vq);

    /* id that is not an outstanding head (the second descriptor of a chain) */
    CHECK_EQ(vn_vq_create(&mock.tr, 8, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, &h), 0);
    mock_ring_push(&d, (h + 1u) % 8u, 0);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
    vn_vq_destroy(vq);

    /* len above the chain's writable bytes */
    CHECK_EQ(vn_vq_create(&mock.tr, 8, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, &h), 0);
    CHECK_EQ(mock_ring_pop(&d, &h, seg, &nseg), 0);
    mock_ring_push(&d, h, 101);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
    vn_vq_destroy(vq);

    /* used idx moved past what is outstanding */
    CHECK_EQ(vn_vq_create(&mock.tr, 8, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, &h), 0);
    mock_put(d.used, 2, 2, 2);
    CHECK_EQ(vn_vq_used_pending(vq), 0);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
    vn_vq_destroy(vq);

    /* a chain completed twice */
    CHECK_EQ(vn_vq_create(&mock.tr, 8, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, &h), 0);
    CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, NULL), 0);
    mock_ring_push(&d, h, 5);
    mock_ring_push(&d, h, 5);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
    vn_vq_destroy(vq);
}

static void test_kick(void)
{
    struct vn_vq *vq;
    struct mock_ring d;
    struct vn_vq_seg s = {0x1000, 10};

    /* flags mode */
    CHECK_EQ(vn_vq_create(&mock.tr, 8, false, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    CHECK(!vn_vq_kick_prepare(vq)); /* nothing added */
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK(vn_vq_kick_prepare(vq));
    CHECK(!vn_vq_kick_prepare(vq)); /* already told */
    mock_ring_set_no_notify(&d, 1);
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK(!vn_vq_kick_prepare(vq));
    mock_ring_set_no_notify(&d, 0);
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK(vn_vq_kick_prepare(vq));

    /* interrupt suppression through avail.flags */
    CHECK_EQ(mock_ring_avail_flags(&d), 0);
    vn_vq_disable_cb(vq);
    CHECK_EQ(mock_ring_avail_flags(&d), VN_AVAIL_F_NO_INTERRUPT);
    CHECK(!vn_vq_enable_cb(vq));
    CHECK_EQ(mock_ring_avail_flags(&d), 0);
    vn_vq_disable_cb(vq);
    uint16_t h;
    struct mock_seg seg[2];
    unsigned nseg;
    CHECK_EQ(mock_ring_pop(&d, &h, seg, &nseg), 0);
    mock_ring_push(&d, h, 0);
    CHECK(vn_vq_enable_cb(vq)); /* something arrived while disabled */
    vn_vq_destroy(vq);

    /* event_idx mode */
    CHECK_EQ(vn_vq_create(&mock.tr, 8, true, &vq), 0);
    mock_ring_attach(&d, &mock, vq);
    mock_ring_set_no_notify(&d, 1); /* ignored with event_idx */
    mock_ring_set_avail_event(&d, 0);
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK(vn_vq_kick_prepare(vq)); /* idx 0 -> 1 passes avail_event 0 */
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK(!vn_vq_kick_prepare(vq)); /* 1 -> 2: device asked only about entry 0 */
    mock_ring_set_avail_event(&d, 3);
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK(!vn_vq_kick_prepare(vq)); /* 2 -> 3 */
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    CHECK(vn_vq_kick_prepare(vq)); /* 3 -> 5 passes 3 */
    /* used_event tracks consumption so the device interrupts for the next element. */
    CHECK_EQ(mock_ring_pop(&d, &h, seg, &nseg), 0);
    mock_ring_push(&d, h, 0);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
    CHECK_EQ(mock_ring_used_event(&d), 1);
    vn_vq_destroy(vq);

    /* the rule itself, across the 16-bit wrap */
    CHECK(vn_vq_need_event(0xffff, 1, 0xfffe));
    CHECK(!vn_vq_need_event(2, 1, 0xfffe));
    CHECK(vn_vq_need_event(0, 1, 0));
    CHECK(!vn_vq_need_event(1, 1, 0));
    CHECK(vn_vq_need_event(0xfffe, 0, 0xfff0));
}

/* ---- packed rings ------------------------------------------------------------------- */

#define P_AVAIL VN_PDESC_F_AVAIL
#define P_USED VN_PDESC_F_USED
#define WRAP1 0x8000u

static uint16_t pd_flags(const struct mock_pring *d, unsigned slot)
{
    return (uint16_t)mock_get(d->desc, 16u * slot + VN_PDESC_FLAGS_OFF, 2);
}

static uint16_t pd_id(const struct mock_pring *d, unsigned slot)
{
    return (uint16_t)mock_get(d->desc, 16u * slot + VN_PDESC_ID_OFF, 2);
}

static struct vn_vq *packed(unsigned size, unsigned flags)
{
    struct vn_vq *vq = NULL;
    CHECK_EQ(vn_vq_create_ex(&mock.tr, size, VN_VQ_PACKED | flags, &vq), 0);
    return vq;
}

static void test_packed_create(void)
{
    static const unsigned bad[] = {0, 32769, 65536, 100000};
    static const unsigned good[] = {1, 2, 3, 5, 7, 100, 1000, 4097, 32767, 32768};
    struct vn_vq *vq;

    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(vn_vq_create_ex(&mock.tr, bad[i], VN_VQ_PACKED, &vq), -EINVAL);
        CHECK(vq == NULL);
    }
    CHECK_EQ(vn_vq_create_ex(&mock.tr, 8, 0x4, &vq), -EINVAL); /* unknown flag */
    CHECK(vq == NULL);
    CHECK_EQ(vn_vq_create_ex(&mock.tr, 6, VN_VQ_EVENT_IDX, &vq), -EINVAL); /* split: 2^n */
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++) {
        unsigned n = good[i];
        int rc = vn_vq_create_ex(&mock.tr, n, VN_VQ_PACKED, &vq);
        CHECK_EQ(rc, 0);
        if (rc)
            continue;
        CHECK(vn_vq_is_packed(vq));
        CHECK_EQ(vn_vq_size(vq), n);
        CHECK_EQ(vn_vq_num_free(vq), n);
        CHECK_EQ(vn_vq_inflight(vq), 0);
        CHECK_EQ(vn_vq_desc_iova(vq) % 16, 0);
        CHECK_EQ(vn_vq_driver_iova(vq) % 4, 0);
        CHECK_EQ(vn_vq_device_iova(vq) % 4, 0);
        CHECK_EQ(vn_vq_driver_iova(vq) - vn_vq_desc_iova(vq), 16u * n);
        CHECK_EQ(vn_vq_device_iova(vq) - vn_vq_driver_iova(vq), 4);
        CHECK_EQ(vn_vq_mem_len(vq), 16u * n + 8u);
        CHECK(vn_vq_mem_size(n) >= vn_vq_mem_len(vq));
        CHECK(mock_iova_va(&mock, vn_vq_desc_iova(vq), vn_vq_mem_len(vq)) != NULL);
        /* both wrap counters start at 1 */
        CHECK_EQ(vn_vq_avail_idx(vq), WRAP1);
        CHECK_EQ(vn_vq_last_used(vq), WRAP1);
        vn_vq_destroy(vq);
    }
    CHECK_EQ(vn_vq_create(&mock.tr, 8, true, &vq), 0);
    CHECK(!vn_vq_is_packed(vq));
    CHECK_EQ(vn_vq_mem_len(vq), vn_vq_mem_size(8));
    vn_vq_destroy(vq);
    CHECK_EQ(mock.dma_live, 0);
}

static void test_packed_chain(void)
{
    struct mock_pring d;
    struct mock_seg seg[16];
    unsigned nseg, nd;
    uint16_t head, id;
    int cookie_obj;
    struct vn_vq *vq = packed(16, 0);

    if (!vq)
        return;
    mock_pring_attach(&d, &mock, vq);
    struct vn_vq_seg out[2] = {{0x1000, 12}, {0x2000, 100}};
    struct vn_vq_seg in[3] = {{0x3000, 64}, {0x4000, 64}, {0x5000, 32}};
    CHECK_EQ(vn_vq_add(vq, out, 2, in, 3, &cookie_obj, &head), 0);
    CHECK_EQ(vn_vq_num_free(vq), 11);
    CHECK_EQ(vn_vq_inflight(vq), 1);
    CHECK_EQ(vn_vq_avail_idx(vq), WRAP1 | 5);
    /* slots 0..4 in order, each available in wrap 1 and carrying the buffer id */
    for (unsigned i = 0; i < 5; i++) {
        uint16_t f = pd_flags(&d, i);
        CHECK_EQ(f & (P_AVAIL | P_USED), P_AVAIL);
        CHECK_EQ(!!(f & VN_DESC_F_NEXT), i < 4);
        CHECK_EQ(!!(f & VN_DESC_F_WRITE), i >= 2);
        CHECK_EQ(f & VN_DESC_F_INDIRECT, 0);
        CHECK_EQ(pd_id(&d, i), head);
    }
    CHECK_EQ(pd_flags(&d, 5), 0);
    CHECK_EQ(mock_pring_pending(&d), 5);
    CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
    CHECK_EQ(id, head);
    CHECK_EQ(nseg, 5);
    CHECK_EQ(nd, 5);
    for (unsigned i = 0; i < 5 && i < nseg; i++) {
        const struct vn_vq_seg *s = i < 2 ? &out[i] : &in[i - 2];
        CHECK_EQ(seg[i].addr, s->iova);
        CHECK_EQ(seg[i].len, s->len);
    }
    CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), -1);
    CHECK_EQ(vn_vq_used_pending(vq), 0);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EAGAIN);
    mock_pring_push(&d, id, 150, nd);
    CHECK_EQ(vn_vq_used_pending(vq), 1);
    uint32_t len = 0;
    void *cookie = NULL;
    uint16_t uid = 0xffff;
    CHECK_EQ(vn_vq_get_used(vq, &len, &cookie, &uid), 0);
    CHECK_EQ(len, 150);
    CHECK(cookie == &cookie_obj);
    CHECK_EQ(uid, head);
    CHECK_EQ(vn_vq_num_free(vq), 16);
    CHECK_EQ(vn_vq_inflight(vq), 0);
    CHECK_EQ(vn_vq_last_used(vq), WRAP1 | 5);
    CHECK_EQ(vn_vq_get_used(vq, &len, &cookie, &uid), -EAGAIN);

    /* refusals change nothing */
    struct vn_vq_seg zero = {0x1000, 0};
    CHECK_EQ(vn_vq_add(vq, NULL, 0, NULL, 0, NULL, NULL), -EINVAL);
    CHECK_EQ(vn_vq_add(vq, &zero, 1, NULL, 0, NULL, NULL), -EINVAL);
    CHECK_EQ(vn_vq_add(vq, out, 1, &zero, 1, NULL, NULL), -EINVAL);
    CHECK_EQ(vn_vq_num_free(vq), 16);
    CHECK_EQ(vn_vq_avail_idx(vq), WRAP1 | 5);
    CHECK_EQ(mock_pring_pending(&d), 0);
    /* device-writable only (an RX buffer) */
    CHECK_EQ(vn_vq_add(vq, NULL, 0, in, 1, NULL, &head), 0);
    CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
    CHECK_EQ(nseg, 1);
    CHECK_EQ(nd, 1);
    CHECK_EQ(seg[0].flags, VN_DESC_F_WRITE | P_AVAIL);
    vn_vq_destroy(vq);
}

/* A chain across the ring end: the descriptors after it carry the flipped wrap counter,
 * and the used side wraps with it. */
static void test_packed_wrap_end(void)
{
    struct mock_pring d;
    struct mock_seg seg[4];
    unsigned nseg, nd;
    uint16_t id, h;
    struct vn_vq_seg s[3] = {{0x1000, 1}, {0x2000, 2}, {0x3000, 3}};
    struct vn_vq *vq = packed(4, 0);

    if (!vq)
        return;
    mock_pring_attach(&d, &mock, vq);
    CHECK_EQ(vn_vq_add(vq, s, 3, NULL, 0, NULL, NULL), 0);
    CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
    mock_pring_push(&d, id, 0, nd);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
    CHECK_EQ(vn_vq_last_used(vq), WRAP1 | 3);

    CHECK_EQ(vn_vq_add(vq, s, 1, s + 1, 2, &d, &h), 0); /* slots 3, 0, 1 */
    CHECK_EQ(vn_vq_avail_idx(vq), 2);                   /* wrap counter now 0 */
    CHECK_EQ(pd_flags(&d, 3), P_AVAIL | VN_DESC_F_NEXT);
    CHECK_EQ(pd_flags(&d, 0), P_USED | VN_DESC_F_NEXT | VN_DESC_F_WRITE);
    CHECK_EQ(pd_flags(&d, 1), P_USED | VN_DESC_F_WRITE);
    CHECK_EQ(pd_id(&d, 3), h);
    CHECK_EQ(pd_id(&d, 0), h);
    CHECK_EQ(pd_id(&d, 1), h);
    CHECK_EQ(vn_vq_num_free(vq), 1);
    CHECK_EQ(vn_vq_add(vq, s, 2, NULL, 0, NULL, NULL), -ENOSPC);
    CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
    CHECK_EQ(id, h);
    CHECK_EQ(nseg, 3);
    CHECK_EQ(nd, 3);
    CHECK_EQ(seg[0].addr, 0x1000);
    CHECK_EQ(seg[2].addr, 0x3000);
    CHECK_EQ(mock_pring_avail_pos(&d), 2);
    /* used at slot 3 in wrap 1; the device then skips to slot 2 of wrap 0 */
    mock_pring_push(&d, id, 5, nd);
    CHECK_EQ(pd_flags(&d, 3), P_AVAIL | P_USED);
    CHECK_EQ(mock_pring_used_pos(&d), 2);
    void *c;
    uint32_t len;
    CHECK_EQ(vn_vq_get_used(vq, &len, &c, NULL), 0);
    CHECK(c == &d);
    CHECK_EQ(len, 5);
    CHECK_EQ(vn_vq_last_used(vq), 2);
    CHECK_EQ(vn_vq_num_free(vq), 4);
    /* a stale used descriptor of wrap 1 at slot 2 is not taken for a new one */
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EAGAIN);
    /* the whole ring in one chain from slot 2: 2, 3 (wrap 0), 0, 1 (wrap 1) */
    struct vn_vq_seg four[4] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}};
    CHECK_EQ(vn_vq_add(vq, four, 4, NULL, 0, NULL, &h), 0);
    CHECK_EQ(vn_vq_avail_idx(vq), WRAP1 | 2);
    CHECK_EQ(pd_flags(&d, 2) & (P_AVAIL | P_USED), P_USED);
    CHECK_EQ(pd_flags(&d, 0) & (P_AVAIL | P_USED), P_AVAIL);
    CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
    CHECK_EQ(nseg, 4);
    CHECK_EQ(seg[3].addr, 4);
    mock_pring_push(&d, id, 0, nd);
    CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
    CHECK_EQ(vn_vq_last_used(vq), WRAP1 | 2);
    CHECK_EQ(vn_vq_num_free(vq), 4);
    vn_vq_destroy(vq);
}

/* Many laps of a ring whose size is no power of two, chains of 1..3 descriptors, up to
 * three in flight, completed out of order now and then. */
static void test_packed_long_run(void)
{
    struct mock_pring d;
    struct mock_seg seg[5];
    unsigned nseg, nd, bad = 0, done = 0, added = 0;
    struct {
        uint16_t id;
        unsigned nd;
        uint64_t addr;
    } dev[3];
    unsigned ndev = 0;
    uint64_t expect_addr = 0x100000;
    struct vn_vq *vq = packed(5, 0);

    if (!vq)
        return;
    mock_pring_attach(&d, &mock, vq);
    for (unsigned r = 0; r < 70000 && !bad; r++) {
        unsigned n = 1 + r % 3;
        struct vn_vq_seg s[3];
        for (unsigned i = 0; i < n; i++)
            s[i] = (struct vn_vq_seg){0x100000u + added, 1 + i};
        if (vn_vq_num_free(vq) >= n && ndev < 3) {
            if (vn_vq_add(vq, s, 1, s + 1, n - 1, (void *)(uintptr_t)(0x100000u + added), NULL))
                bad++;
            added++;
            uint16_t id;
            if (mock_pring_pop(&d, &id, seg, &nseg, &nd) || nseg != n || nd != n ||
                seg[0].addr != 0x100000u + added - 1)
                bad++;
            dev[ndev].id = id;
            dev[ndev].nd = nd;
            dev[ndev++].addr = seg[0].addr;
            continue;
        }
        /* complete the newest every fourth round, else the oldest */
        unsigned k = r % 4 == 0 ? ndev - 1 : 0;
        mock_pring_push(&d, dev[k].id, 0, dev[k].nd);
        void *c;
        expect_addr = dev[k].addr;
        for (unsigned i = k; i + 1 < ndev; i++)
            dev[i] = dev[i + 1];
        ndev--;
        if (vn_vq_get_used(vq, NULL, &c, NULL) || (uint64_t)(uintptr_t)c != expect_addr)
            bad++;
        done++;
    }
    CHECK_EQ(bad, 0);
    CHECK(done > 30000);
    CHECK_EQ(vn_vq_inflight(vq), ndev);
    CHECK_EQ(mock_pring_avail_pos(&d), vn_vq_avail_idx(vq));
    vn_vq_destroy(vq);
}

static void test_packed_indirect(void)
{
    struct mock_pring d;
    struct mock_seg seg[8];
    unsigned nseg, nd;
    uint16_t id, h;
    struct vn_vq *vq = packed(8, 0);

    if (!vq)
        return;
    CHECK_EQ(vn_vq_set_indirect(vq, 4), 0);
    mock_pring_attach(&d, &mock, vq);
    struct vn_vq_seg out = {0x1000, 12}, in[2] = {{0x2000, 100}, {0x3000, 50}};
    CHECK_EQ(vn_vq_add(vq, &out, 1, in, 2, &d, &h), 0);
    CHECK_EQ(vn_vq_num_free(vq), 7);
    CHECK_EQ(vn_vq_avail_idx(vq), WRAP1 | 1);
    CHECK_EQ(pd_flags(&d, 0), P_AVAIL | VN_DESC_F_INDIRECT);
    CHECK_EQ(pd_id(&d, 0), h);
    CHECK_EQ(mock_get(d.desc, 8, 4), 3 * 16);
    /* the table: only WRITE among the flags, id unused */
    uint64_t ta = (uint64_t)mock_get(d.desc, 4, 4) << 32 | mock_get(d.desc, 0, 4);
    const uint8_t *t = mock_iova_va(&mock, ta, 48);
    CHECK(t != NULL);
    if (t) {
        CHECK_EQ(mock_get(t, 14, 2), 0);
        CHECK_EQ(mock_get(t, 16 + 14, 2), VN_DESC_F_WRITE);
        CHECK_EQ(mock_get(t, 32 + 14, 2), VN_DESC_F_WRITE);
    }
    CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
    CHECK_EQ(id, h);
    CHECK_EQ(nd, 1);
    CHECK_EQ(nseg, 3);
    CHECK_EQ(seg[0].addr, 0x1000);
    CHECK_EQ(seg[0].flags, 0);
    CHECK_EQ(seg[1].addr, 0x2000);
    CHECK_EQ(seg[1].flags, VN_DESC_F_WRITE);
    CHECK_EQ(seg[2].len, 50);
    /* a second one while the first is out: its own table */
    uint16_t h2, id2;
    CHECK_EQ(vn_vq_add(vq, NULL, 0, in, 1, NULL, &h2), 0);
    CHECK(h2 != h);
    CHECK_EQ(mock_pring_pop(&d, &id2, seg, &nseg, &nd), 0);
    CHECK_EQ(nseg, 1);
    CHECK_EQ(seg[0].addr, 0x2000);
    /* the writable bytes of the whole table bound the used len */
    mock_pring_push(&d, id, 150, 1);
    void *c;
    uint32_t len;
    CHECK_EQ(vn_vq_get_used(vq, &len, &c, NULL), 0);
    CHECK_EQ(len, 150);
    CHECK(c == &d);
    /* longer than the tables: straight into the ring */
    struct vn_vq_seg five[5] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}};
    CHECK_EQ(vn_vq_add(vq, five, 5, NULL, 0, NULL, NULL), 0);
    CHECK_EQ(vn_vq_num_free(vq), 2);
    CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
    CHECK_EQ(nd, 5);
    CHECK_EQ(pd_flags(&d, 2) & VN_DESC_F_INDIRECT, 0);
    vn_vq_destroy(vq);
    CHECK_EQ(mock.dma_live, 0);
}

/* The device completes in its own order: one used descriptor per buffer, by id. */
static void test_packed_out_of_order(void)
{
    struct mock_pring d;
    struct mock_seg seg[8];
    unsigned nseg, nd[4];
    uint16_t ids[4], heads[4];
    int tags[4];
    static const unsigned len[4] = {1, 2, 3, 1};
    struct vn_vq_seg s[3] = {{0x1000, 10}, {0x2000, 20}, {0x3000, 30}};
    struct vn_vq *vq = packed(8, 0);

    if (!vq)
        return;
    mock_pring_attach(&d, &mock, vq);
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(vn_vq_add(vq, NULL, 0, s, len[i], &tags[i], &heads[i]), 0);
        CHECK_EQ(mock_pring_pop(&d, &ids[i], seg, &nseg, &nd[i]), 0);
        CHECK_EQ(ids[i], heads[i]);
        CHECK_EQ(nd[i], len[i]);
    }
    CHECK_EQ(vn_vq_num_free(vq), 1);
    for (unsigned i = 0; i < 4; i++)
        for (unsigned k = 0; k < i; k++)
            CHECK(heads[i] != heads[k]);
    /* every descriptor of a buffer carries its id, not only the last */
    for (unsigned i = 0, slot = 0; i < 4; i++)
        for (unsigned k = 0; k < len[i]; k++, slot++)
            CHECK_EQ(pd_id(&d, slot), heads[i]);
    static const unsigned order[4] = {2, 0, 3, 1};
    for (unsigned i = 0; i < 4; i++)
        mock_pring_push(&d, ids[order[i]], 1u + order[i], nd[order[i]]);
    CHECK_EQ(vn_vq_used_pending(vq), 4);
    for (unsigned i = 0; i < 4; i++) {
        void *c;
        uint32_t l;
        uint16_t uid;
        CHECK_EQ(vn_vq_get_used(vq, &l, &c, &uid), 0);
        CHECK(c == &tags[order[i]]);
        CHECK_EQ(l, 1u + order[i]);
        CHECK_EQ(uid, heads[order[i]]);
        CHECK_EQ(vn_vq_used_pending(vq), 3 - i);
    }
    CHECK_EQ(vn_vq_num_free(vq), 8);
    CHECK_EQ(vn_vq_last_used(vq), WRAP1 | 7);
    /* ids come back: a full ring of one-descriptor buffers, all different */
    unsigned seen = 0;
    for (unsigned i = 0; i < 8; i++) {
        uint16_t h;
        CHECK_EQ(vn_vq_add(vq, s, 1, NULL, 0, NULL, &h), 0);
        if (h < 8)
            seen |= 1u << h;
    }
    CHECK_EQ(seen, 0xff);
    CHECK_EQ(vn_vq_add(vq, s, 1, NULL, 0, NULL, NULL), -ENOSPC);
    vn_vq_destroy(vq);
}

static void test_packed_bad_used(void)
{
    struct mock_pring d;
    struct mock_seg seg[4];
    unsigned nseg, nd;
    uint16_t id, h;
    struct vn_vq_seg o = {0x1000, 10}, in = {0x2000, 100};
    struct vn_vq *vq;

    /* an id beyond the ring */
    if ((vq = packed(8, 0))) {
        mock_pring_attach(&d, &mock, vq);
        CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, NULL), 0);
        mock_pring_push(&d, 8, 0, 2);
        CHECK_EQ(vn_vq_used_pending(vq), 0);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
        CHECK_EQ(vn_vq_add(vq, &o, 1, NULL, 0, NULL, NULL), -EIO); /* broken stays broken */
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
        vn_vq_destroy(vq);
    }
    /* an id in range that no outstanding buffer has */
    if ((vq = packed(8, 0))) {
        mock_pring_attach(&d, &mock, vq);
        CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, &h), 0);
        mock_pring_push(&d, (uint16_t)((h + 1u) % 8u), 0, 2);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
        vn_vq_destroy(vq);
    }
    /* len above the buffer's writable bytes */
    if ((vq = packed(8, 0))) {
        mock_pring_attach(&d, &mock, vq);
        CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, &h), 0);
        CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
        mock_pring_push(&d, id, 101, nd);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
        vn_vq_destroy(vq);
    }
    /* a buffer completed twice */
    if ((vq = packed(8, 0))) {
        mock_pring_attach(&d, &mock, vq);
        CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, &h), 0);
        CHECK_EQ(vn_vq_add(vq, &o, 1, &in, 1, NULL, NULL), 0);
        mock_pring_push(&d, h, 5, 2);
        mock_pring_push(&d, h, 5, 2);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
        vn_vq_destroy(vq);
    }
    /* a used descriptor for a ring with nothing outstanding */
    if ((vq = packed(8, 0))) {
        mock_pring_attach(&d, &mock, vq);
        mock_pring_push(&d, 0, 0, 1);
        CHECK_EQ(vn_vq_used_pending(vq), 0);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EIO);
        vn_vq_destroy(vq);
    }
}

/* Make n one-descriptor buffers available and decide on a kick. */
static bool add_kick(struct vn_vq *vq, unsigned n)
{
    struct vn_vq_seg s = {0x1000, 10};
    for (unsigned i = 0; i < n; i++)
        CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
    return vn_vq_kick_prepare(vq);
}

/* The device takes and completes everything, the driver reaps it. */
static void drain(struct vn_vq *vq, struct mock_pring *d)
{
    struct mock_seg seg[8];
    unsigned nseg, nd;
    uint16_t id;
    while (mock_pring_pop(d, &id, seg, &nseg, &nd) == 0)
        mock_pring_push(d, id, 0, nd);
    while (vn_vq_get_used(vq, NULL, NULL, NULL) == 0)
        ;
}

static void test_packed_kick(void)
{
    struct mock_pring d;
    struct vn_vq *vq;

    /* flags: ENABLE kicks, DISABLE does not; DESC without EVENT_IDX is not valid and
     * kicks rather than risk a stall */
    if ((vq = packed(8, 0))) {
        mock_pring_attach(&d, &mock, vq);
        CHECK(!vn_vq_kick_prepare(vq)); /* nothing added */
        CHECK(add_kick(vq, 1));
        CHECK(!vn_vq_kick_prepare(vq)); /* already told */
        mock_pring_set_event(&d, VN_EVENT_F_DISABLE, 0);
        CHECK(!add_kick(vq, 1));
        mock_pring_set_event(&d, VN_EVENT_F_ENABLE, 0);
        CHECK(add_kick(vq, 2));
        mock_pring_set_event(&d, VN_EVENT_F_DESC, WRAP1 | 7);
        CHECK(add_kick(vq, 1));
        vn_vq_destroy(vq);
    }

    /* DESC with EVENT_IDX: kick when the new descriptors pass off_wrap */
    if ((vq = packed(8, VN_VQ_EVENT_IDX))) {
        mock_pring_attach(&d, &mock, vq);
        mock_pring_set_event(&d, VN_EVENT_F_DESC, WRAP1 | 0);
        CHECK(add_kick(vq, 1));  /* slot 0 */
        CHECK(!add_kick(vq, 1)); /* slot 1: the device asked about slot 0 only */
        mock_pring_set_event(&d, VN_EVENT_F_DESC, WRAP1 | 3);
        CHECK(!add_kick(vq, 1)); /* slot 2 */
        CHECK(add_kick(vq, 2));  /* slots 3, 4 */
        mock_pring_set_event(&d, VN_EVENT_F_DESC, WRAP1 | 5);
        CHECK(add_kick(vq, 1)); /* slot 5 exactly */
        /* next_avail 6 in wrap 1; a batch across the end: 6, 7 (wrap 1), 0, 1 (wrap 0) */
        drain(vq, &d);
        mock_pring_set_event(&d, VN_EVENT_F_DESC, 1); /* slot 1 of wrap 0 */
        CHECK(add_kick(vq, 4));
        CHECK_EQ(vn_vq_avail_idx(vq), 2);
        drain(vq, &d);
        mock_pring_set_event(&d, VN_EVENT_F_DESC, 2); /* the slot after the batch */
        CHECK(!vn_vq_kick_prepare(vq));
        CHECK(add_kick(vq, 1)); /* slot 2 */
        drain(vq, &d);
        /* an off_wrap from the lap before: passed within this batch or not */
        mock_pring_set_event(&d, VN_EVENT_F_DESC, WRAP1 | 7);
        CHECK(!add_kick(vq, 4)); /* slots 3..6 of wrap 0: slot 7 of wrap 1 is long past */
        drain(vq, &d);
        mock_pring_set_event(&d, VN_EVENT_F_DESC, 7); /* slot 7 of wrap 0 */
        CHECK(add_kick(vq, 3));                        /* 7 (wrap 0), 0, 1 (wrap 1) */
        CHECK_EQ(vn_vq_avail_idx(vq), WRAP1 | 2);
        drain(vq, &d);
        mock_pring_set_event(&d, VN_EVENT_F_DESC, 0); /* slot 0 of wrap 0: the lap before */
        CHECK(!add_kick(vq, 1));
        /* ENABLE and DISABLE still hold with EVENT_IDX */
        mock_pring_set_event(&d, VN_EVENT_F_ENABLE, 0);
        CHECK(add_kick(vq, 1));
        mock_pring_set_event(&d, VN_EVENT_F_DISABLE, 0);
        CHECK(!add_kick(vq, 1));
        CHECK_EQ(vn_vq_avail_event(vq), 0);
        mock_pring_set_event(&d, VN_EVENT_F_DESC, WRAP1 | 6);
        CHECK_EQ(vn_vq_avail_event(vq), WRAP1 | 6);
        vn_vq_destroy(vq);
    }

    /* more than a ring's worth between decisions: off_wrap was certainly passed, though
     * 7 slots of a 3-slot ring end in the same wrap just before it */
    if ((vq = packed(3, VN_VQ_EVENT_IDX))) {
        mock_pring_attach(&d, &mock, vq);
        mock_pring_set_event(&d, VN_EVENT_F_DESC, WRAP1 | 2);
        for (unsigned i = 0; i < 7; i++) {
            struct vn_vq_seg s = {0x1000, 10};
            CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
            drain(vq, &d);
        }
        CHECK(vn_vq_kick_prepare(vq));
        vn_vq_destroy(vq);
    }
}

static void test_packed_cb(void)
{
    struct mock_pring d;
    struct mock_seg seg[2];
    unsigned nseg, nd;
    uint16_t id;
    struct vn_vq_seg s = {0x1000, 10};
    struct vn_vq *vq;

    /* flags */
    if ((vq = packed(4, 0))) {
        mock_pring_attach(&d, &mock, vq);
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_ENABLE);
        vn_vq_disable_cb(vq);
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_DISABLE);
        CHECK(!vn_vq_enable_cb(vq));
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_ENABLE);
        vn_vq_disable_cb(vq);
        CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
        CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
        mock_pring_push(&d, id, 0, nd);
        CHECK(vn_vq_enable_cb(vq)); /* something arrived while disabled */
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_ENABLE);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
        CHECK(!vn_vq_enable_cb(vq));
        vn_vq_set_used_event(vq, WRAP1 | 2); /* DESC needs EVENT_IDX: nothing */
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_ENABLE);
        vn_vq_destroy(vq);
    }

    /* EVENT_IDX: DESC at the next used position, kept there as buffers are consumed */
    if ((vq = packed(3, VN_VQ_EVENT_IDX))) {
        mock_pring_attach(&d, &mock, vq);
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_DESC);
        CHECK_EQ(mock_pring_drv_off_wrap(&d), WRAP1 | 0);
        struct vn_vq_seg two[2] = {{0x1000, 10}, {0x2000, 20}};
        for (unsigned r = 0; r < 3; r++) {
            CHECK_EQ(vn_vq_add(vq, two, 2, NULL, 0, NULL, NULL), 0);
            CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
            mock_pring_push(&d, id, 0, nd);
            CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
            CHECK_EQ(mock_pring_drv_off_wrap(&d), vn_vq_last_used(vq));
        }
        CHECK_EQ(vn_vq_last_used(vq), WRAP1 | 0); /* 6 slots of a 3-slot ring: two laps */
        /* DISABLE holds with EVENT_IDX too; off_wrap then stays where it was */
        vn_vq_disable_cb(vq);
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_DISABLE);
        CHECK_EQ(vn_vq_add(vq, &s, 1, NULL, 0, NULL, NULL), 0);
        CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
        mock_pring_push(&d, id, 0, nd);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), 0);
        CHECK_EQ(mock_pring_drv_off_wrap(&d), WRAP1 | 0);
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_DISABLE);
        CHECK(!vn_vq_enable_cb(vq));
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_DESC);
        CHECK_EQ(mock_pring_drv_off_wrap(&d), WRAP1 | 1);
        /* by hand: interrupt at a later position, computed with the wrap */
        uint16_t at = vn_vq_pos_advance(vq, vn_vq_last_used(vq), 4);
        CHECK_EQ(at, 2); /* slot 1 + 4 = 5: slot 2 of the next lap */
        vn_vq_disable_cb(vq);
        vn_vq_set_used_event(vq, at);
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_DESC);
        CHECK_EQ(mock_pring_drv_off_wrap(&d), 2);
        vn_vq_destroy(vq);
    }

    /* positions: wrap at the size, flip the counter, two laps are the identity */
    if ((vq = packed(5, 0))) {
        CHECK_EQ(vn_vq_pos_advance(vq, WRAP1 | 3, 2), 0);
        CHECK_EQ(vn_vq_pos_advance(vq, 4, 1), WRAP1 | 0);
        CHECK_EQ(vn_vq_pos_advance(vq, WRAP1 | 4, 10), WRAP1 | 4);
        CHECK_EQ(vn_vq_pos_advance(vq, WRAP1 | 4, 11), 0);
        CHECK_EQ(vn_vq_pos_advance(vq, 2, 0), 2);
        vn_vq_destroy(vq);
    }
    CHECK_EQ(vn_vq_create(&mock.tr, 8, true, &vq), 0);
    CHECK_EQ(vn_vq_pos_advance(vq, 0xfffe, 3), 1);
    vn_vq_destroy(vq);
}

static void test_packed_detach(void)
{
    struct mock_pring d;
    struct mock_seg seg[8];
    unsigned nseg, nd, count = 0;
    uint16_t id;
    struct vn_vq_seg s[3] = {{0x1000, 10}, {0x2000, 20}, {0x3000, 30}};
    struct vn_vq *vq;

    if ((vq = packed(6, 0))) {
        mock_pring_attach(&d, &mock, vq);
        /* move into the second lap first, so there is a wrap counter to reset */
        CHECK_EQ(vn_vq_add(vq, s, 3, NULL, 0, NULL, NULL), 0);
        CHECK_EQ(vn_vq_add(vq, s, 3, NULL, 0, NULL, NULL), 0);
        drain(vq, &d);
        CHECK_EQ(vn_vq_avail_idx(vq), 0);
        CHECK_EQ(vn_vq_add(vq, s, 2, NULL, 0, s, NULL), 0);
        CHECK_EQ(vn_vq_add(vq, s, 1, s + 1, 2, s, NULL), 0);
        CHECK_EQ(vn_vq_add(vq, s, 1, NULL, 0, s, NULL), 0);
        CHECK_EQ(mock_pring_pop(&d, &id, seg, &nseg, &nd), 0);
        mock_pring_push(&d, id, 0, nd); /* used but not reaped: detached too */
        vn_vq_disable_cb(vq);
        vn_vq_detach_all(vq, count_cookie, &count);
        CHECK_EQ(count, 3);
        CHECK_EQ(vn_vq_num_free(vq), 6);
        CHECK_EQ(vn_vq_inflight(vq), 0);
        CHECK_EQ(vn_vq_avail_idx(vq), WRAP1 | 0);
        CHECK_EQ(vn_vq_last_used(vq), WRAP1 | 0);
        CHECK_EQ(vn_vq_used_pending(vq), 0);
        CHECK_EQ(vn_vq_get_used(vq, NULL, NULL, NULL), -EAGAIN);
        /* a device starting afresh sees the ring from slot 0, wrap 1, and every id */
        mock_pring_attach(&d, &mock, vq);
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_DISABLE);
        CHECK_EQ(mock_pring_pending(&d), 0);
        uint16_t h;
        for (unsigned i = 0; i < 6; i++)
            CHECK_EQ(vn_vq_add(vq, s, 1, NULL, 0, NULL, &h), 0);
        CHECK_EQ(pd_flags(&d, 0), P_AVAIL);
        CHECK_EQ(mock_pring_pending(&d), 6);
        drain(vq, &d);
        CHECK_EQ(vn_vq_num_free(vq), 6);
        vn_vq_destroy(vq);
    }
    /* with EVENT_IDX and interrupts on: DESC again at the new first position */
    if ((vq = packed(4, VN_VQ_EVENT_IDX))) {
        mock_pring_attach(&d, &mock, vq);
        CHECK_EQ(vn_vq_add(vq, s, 3, NULL, 0, NULL, NULL), 0);
        drain(vq, &d);
        CHECK_EQ(mock_pring_drv_off_wrap(&d), WRAP1 | 3);
        vn_vq_detach_all(vq, NULL, NULL);
        CHECK_EQ(mock_pring_drv_flags(&d), VN_EVENT_F_DESC);
        CHECK_EQ(mock_pring_drv_off_wrap(&d), WRAP1 | 0);
        vn_vq_destroy(vq);
    }
}

static unsigned log_errors;
static void count_log(void *ctx, enum vn_log_level level, const char *msg)
{
    (void)ctx;
    (void)msg;
    if (level == VN_LOG_ERR)
        log_errors++;
}

int main(void)
{
    vn_log_set(count_log, NULL);
    mock_tr_init(&mock);
    test_create();
    test_chain();
    test_wrap();
    test_free_list();
    test_detach();
    test_used_parsing();
    test_kick();
    test_packed_create();
    test_packed_chain();
    test_packed_wrap_end();
    test_packed_long_run();
    test_packed_indirect();
    test_packed_out_of_order();
    test_packed_bad_used();
    test_packed_kick();
    test_packed_cb();
    test_packed_detach();
    CHECK_EQ(mock.dma_live, 0);
    CHECK(log_errors > 0); /* every refusal above said why */
    CHECK_EQ(mock_tr_fini(&mock), 0);
    return check_report();
}
