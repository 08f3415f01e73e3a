/* Split-ring tests: a device model written from the spec's layout reads the rings by
 * IOVA through the mock transport, so the driver side is checked against the layout,
 * not against itself. */
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
    CHECK_EQ(mock.dma_live, 0);
    CHECK(log_errors > 0); /* every refusal above said why */
    CHECK_EQ(mock_tr_fini(&mock), 0);
    return check_report();
}
