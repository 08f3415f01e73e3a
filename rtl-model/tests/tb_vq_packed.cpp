// tb_vq_packed.cpp: the packed-ring scenarios of vq_engines_tb (2.8, DEV_CTRL.PACKED):
// TX, wrap, late availability, RX, indirect tables, event suppression, queue reset, read
// completions out of order (within a lap and across laps), the ring scanner's fairness,
// everything mixed, and a driver's io-forwarding loop.  The harness is in vq_tb.h.
#include "vq_tb.h"

namespace vqtb {

// ---- packed rings (2.8, DEV_CTRL.PACKED) -----------------------------------------------
// The driver model (vq_tb.h: setup_pk, post_*_pk, reap_pk) checks every used descriptor as
// it is written: at the driver's used position, flags AVAIL = USED = its used wrap counter
// (+ WRITE with a length), addr 0, the id of the chain that starts there, TX len 0, RX len
// and bytes against the frame; the used position then moves on by the chain's slots.

namespace {
// all of a packed queue's work is done and the device's positions agree with the driver's
void pk_settled(Tb &t, unsigned q)
{
    VQ &v = t.vq[q];
    CHECK(v.out.empty(), "q%u: %zu chains outstanding", q, v.out.size());
    CHECK(v.nfree == v.size, "q%u: %u of %u slots free", q, v.nfree, v.size);
    uint32_t want = (uint32_t)v.upos() << 16 | v.apos();
    CHECK(t.qindices(q) == want, "q%u: indices %08x, driver at avail %04x used %04x", q, t.qindices(q),
          v.apos(), v.upos());
}
}  // namespace

// 1. TX: 1- and 2-slot chains on two rings (64, 256), frames byte for byte and in order,
// used descriptors in place (a 2-slot chain moves the used position by 2)
void pk_tx_basic()
{
    Tb t(SEED ^ 0x21);
    t.d->pk = 1;
    t.lat = 250;
    t.wr_ready_p = 0.8;
    t.msi_ready_p = 0.7;
    t.tx_ready_p = 0.85;
    const unsigned qs[2] = {1, 3};
    const unsigned N = 200;
    t.setup_pk(1, 64, 1);
    t.setup_pk(3, 256, 3);
    t.settle();
    for (unsigned q : qs) {
        CHECK(t.qstate(q) == VN_QSTATE_RUNNING, "q%u not running", q);
        CHECK(t.qindices(q) == 0x80008000u, "q%u: indices %08x at start", q, t.qindices(q));
    }
    std::vector<unsigned> edge = {60, 61, 63, 64, 65, 127, 128, 129, 1514, 1518, 2047, 2048};
    unsigned posted[NQ] = {};
    for (uint64_t guard = 0; guard < 2000; guard++) {
        bool all = true;
        for (unsigned q : qs) {
            unsigned burst = t.rint(1, 8);
            for (unsigned i = 0; i < burst && posted[q] < N; i++) {
                unsigned len = posted[q] < edge.size() ? edge[posted[q]] : t.rint(60, 2048);
                if (!t.post_tx_pk(q, len, t.rint(1, 2))) break;
                posted[q]++;
            }
            t.kick(q);
            all &= posted[q] == N;
        }
        t.run(t.rint(50, 400));
        if (all) break;
    }
    bool ok = t.run_until([&] { return t.vq[1].completed == N && t.vq[3].completed == N; }, 200000);
    CHECK(ok, "TX packed: %u + %u of %u completed", t.vq[1].completed, t.vq[3].completed, N);
    t.run(200);
    unsigned two = 0, multi = 0;
    for (unsigned q : qs) {
        VQ &v = t.vq[q];
        CHECK(v.expect.empty(), "q%u: %zu frames never sent", q, v.expect.size());
        CHECK(v.ulog.size() == N, "q%u: %zu used descriptors", q, v.ulog.size());
        pk_settled(t, q);
        // the used positions, one after the other: the last one plus its chain's slots
        for (size_t i = 1; i < v.ulog.size(); i++) {
            const PkUsed &a = v.ulog[i - 1], &b = v.ulog[i];
            unsigned pos = a.slot + a.nslots, w = a.wrap;
            if (pos >= v.size) { pos -= v.size; w = !w; }
            CHECK(b.slot == pos && b.wrap == w, "q%u: used %zu at slot %u, previous at %u with %u slots", q, i,
                  b.slot, a.slot, a.nslots);
            two += a.nslots == 2;
        }
        multi = std::max(multi, v.umax);
        CHECK(t.msis_for(v.vector) > 0, "q%u: no interrupt", q);
    }
    CHECK(two > 0, "no 2-slot chain");
    CHECK(t.txframes.size() == 2 * N && t.n_tx_pkt == 2 * N, "%zu frames on the MAC", t.txframes.size());
    std::printf("pk_tx_basic: 2 packed rings (64, 256) x %u frames, %u 2-slot chains, up to %u used "
                "descriptors per write, %" PRIu64 " cycles\n", N, two, multi, t.cyc);
}

// 2. Wrap: rings of 8, 6, 3 and 1 slots through many laps with chains of 1..3 slots (some
// across the ring end); after each round a kick with nothing new must find nothing
void pk_wrap()
{
    Tb t(SEED ^ 0x22);
    t.d->pk = 1;
    t.lat = 250;
    t.tx_ready_p = 0.9;
    const unsigned qs[4] = {1, 3, 5, 7};
    const uint16_t sz[4] = {8, 6, 3, 1};
    for (unsigned i = 0; i < 4; i++) t.setup_pk(qs[i], sz[i], (uint16_t)qs[i]);
    t.settle();
    unsigned cross[NQ] = {}, slots[NQ] = {};
    for (unsigned r = 0; r < 40; r++) {
        for (unsigned i = 0; i < 4; i++) {
            unsigned q = qs[i];
            VQ &v = t.vq[q];
            // mostly fill the ring, sometimes leave some of it
            unsigned want = t.rnd() < 0.7 ? v.size : t.rint(1, v.size);
            unsigned used = 0;
            while (used < want) {
                unsigned n = t.rint(1, std::min<unsigned>(3, want - used));
                uint16_t at = v.pa_idx;
                if (!t.post_tx_pk(q, t.rint(60, 700), n)) break;
                cross[q] += at + n > v.size;
                slots[q] += n;
                used += n;
            }
            t.kick(q);
        }
        bool ok = t.run_until([&] {
            for (unsigned q : qs) if (!t.vq[q].out.empty()) return false;
            return true;
        }, 50000);
        CHECK(ok, "round %u: chains left", r);
        t.run(300);
        // nothing new: the previous laps' descriptors must not be taken again
        size_t frames = t.txframes.size(), writes = t.wrlog.size();
        for (unsigned q : qs) t.kick(q);
        t.run(1200);
        CHECK(t.txframes.size() == frames && t.wrlog.size() == writes, "round %u: a kick without new "
              "descriptors sent %zu frames, %zu writes", r, t.txframes.size() - frames, t.wrlog.size() - writes);
    }
    for (unsigned i = 0; i < 4; i++) {
        unsigned q = qs[i];
        VQ &v = t.vq[q];
        CHECK(v.expect.empty(), "q%u: %zu frames never sent", q, v.expect.size());
        pk_settled(t, q);
        unsigned w0 = 0, w1 = 0;
        for (auto &u : v.ulog) (u.wrap ? w1 : w0)++;
        CHECK(w0 > 0 && w1 > 0, "q%u: used flags of wrap 0: %u, of wrap 1: %u", q, w0, w1);
        CHECK(slots[q] >= 10u * v.size, "q%u: only %u slots", q, slots[q]);
        if (v.size > 1) CHECK(cross[q] > 0, "q%u: no chain across the ring end", q);
        std::printf("pk_wrap: ring of %u: %u laps, %zu chains (%u across the ring end), used flags %u x wrap 1, "
                    "%u x wrap 0\n", v.size, slots[q] / v.size, v.ulog.size(), cross[q], w1, w0);
    }
}

// 3. A slot made available after the device saw it unavailable, at every moment around
// the device's read of it, then a kick: sent exactly once.  And a DPDK-style batch: the
// later slots visible first, the head's flags written last.
void pk_unavail()
{
    Tb t(SEED ^ 0x23);
    t.d->pk = 1;
    t.lat = 250;
    t.setup_pk(1, 64, 1);
    t.setup_pk(3, 32, 3);
    t.settle();
    VQ &v = t.vq[1];
    auto done = [&](unsigned q) { return t.run_until([&] { return t.vq[q].out.empty(); }, 30000); };
    // the device reads slot k, finds it unavailable (its ring read answered), then k is
    // made available: no kick, then a kick
    for (int i = 0; i < 3; i++) t.post_tx_pk(1, 200, 1);
    t.kick(1);
    CHECK(done(1), "first chains");
    uint16_t k = v.pa_idx;
    uint64_t slot_k = v.desc + 16ull * k;
    bool seen = false;
    for (auto &r : t.rdlog) seen |= r.addr <= slot_k && r.addr + r.len >= slot_k + 16;
    CHECK(seen && t.rds.empty(), "slot %u was not read", k);
    size_t frames = t.txframes.size();
    t.post_tx_pk(1, 300, 2);
    t.run(1500);
    bool early = t.txframes.size() != frames;
    t.kick(1);
    CHECK(done(1), "slot %u made available late: not completed", k);
    t.run(300);
    CHECK(t.txframes.size() == frames + 1, "slot %u: %zu frames for one chain", k, t.txframes.size() - frames);
    // the same around the read: chain 1 and a kick; chain 2 `d` cycles later (before the
    // read, while it is out, after its answer) and a kick
    unsigned sweeps = 0;
    for (unsigned d = 0; d < 700; d += 9, sweeps++) {
        frames = t.txframes.size();
        t.post_tx_pk(1, t.rint(60, 400), t.rint(1, 2));
        t.kick(1);
        t.run(d);
        t.post_tx_pk(1, t.rint(60, 400), t.rint(1, 2));
        if (d % 2) t.run(t.rint(0, 300));   // sometimes the kick comes later still
        t.kick(1);
        CHECK(done(1), "d %u: not completed", d);
        t.run(200);
        CHECK(t.txframes.size() == frames + 2, "d %u: %zu frames for two chains", d, t.txframes.size() - frames);
    }
    // DPDK: a batch of four (1, 2, 1, 1 slots) with the head's flags last; the device
    // reads the ring (a kick) while only the later slots are visible
    unsigned batches = 0;
    for (unsigned d = 0; d < 700; d += 23, batches++) {
        VQ &w = t.vq[3];
        frames = t.txframes.size();
        size_t used0 = w.ulog.size();
        std::vector<uint16_t> ids;
        for (unsigned n : {1u, 2u, 1u, 1u}) {
            CHECK(t.post_tx_pk(3, t.rint(60, 400), n, false, ids.empty()), "post");
            ids.push_back(w.order.back());
        }
        t.kick(3);
        t.run(d);
        // (from d ~ 260 on the device has read the batch with the head not available)
        CHECK(t.txframes.size() == frames && w.ulog.size() == used0, "batch at d %u: %zu frames, %zu used "
              "before the head was available", d, t.txframes.size() - frames, w.ulog.size() - used0);
        t.release_heads();
        t.kick(3);
        CHECK(done(3), "batch at d %u: not completed", d);
        t.run(200);
        CHECK(t.txframes.size() == frames + 4, "batch at d %u: %zu frames", d, t.txframes.size() - frames);
        for (unsigned i = 0; i < 4 && used0 + i < w.ulog.size(); i++)
            CHECK(w.ulog[used0 + i].id == ids[i], "batch at d %u: used %u has id %u, want %u", d, i,
                  w.ulog[used0 + i].id, ids[i]);
    }
    for (unsigned q : {1u, 3u}) {
        CHECK(t.vq[q].expect.empty(), "q%u: %zu frames never sent", q, t.vq[q].expect.size());
        pk_settled(t, q);
    }
    std::printf("pk_unavail: a slot made available after the device read it (%s without a kick), %u timings "
                "around the read, %u DPDK-style batches (head flags last): each frame sent once\n",
                early ? "found" : "not found", sweeps, batches);
}

// 4. RX: 1- and 2-descriptor chains on two pairs (rings 64 and 40), used len = header +
// frame with WRITE, small chains returned with len 0
void pk_rx_basic()
{
    Tb t(SEED ^ 0x24);
    t.d->pk = 1;
    t.lat = 250;
    t.wr_ready_p = 0.8;
    t.msi_ready_p = 0.8;
    t.rx_valid_p = 0.5;
    t.d->rx_queue_pairs = 2;
    t.setup_pk(0, 64, 0);
    t.setup_pk(2, 40, 2);
    t.settle();
    auto refill = [&](unsigned q) {
        VQ &v = t.vq[q];
        while (v.order.size() < 24) {
            unsigned nseg = t.rint(1, 2);
            uint32_t cap = t.rnd() < 0.1 ? t.rint(nseg + 12, 400) : t.rint(1526, 2200);
            if (!t.post_rx_pk(q, cap, nseg)) break;
        }
        t.kick(q);
    };
    refill(0);
    refill(2);
    t.run(1200);
    const unsigned N = 400;
    unsigned sent = 0;
    while (sent < N) {
        t.send_rx(t.rx_frame(sent < 4 ? 60 + sent : t.rint(60, 1518), ~0u, t.rnd() < 0.9));
        sent++;
        if (sent % 12 == 0) {
            // the buffers outstanding are all available again before the next dozen
            t.run_until([&] { return t.rxq.empty() && t.vq[0].rx_expect.empty() && t.vq[2].rx_expect.empty(); },
                        100000);
            refill(0);
            refill(2);
        }
    }
    bool ok = t.run_until([&] {
        if (t.cyc % 64 == 0) { refill(0); refill(2); }
        return t.rxq.empty() && t.vq[0].rx_expect.empty() && t.vq[2].rx_expect.empty();
    }, 200000);
    CHECK(ok, "RX packed: frames not delivered (%zu, %zu waiting)", t.vq[0].rx_expect.size(),
          t.vq[2].rx_expect.size());
    t.run(500);
    unsigned delivered = t.vq[0].delivered + t.vq[2].delivered, small = t.vq[0].small + t.vq[2].small;
    CHECK(delivered + small == N, "delivered %u + small %u != %u", delivered, small, N);
    CHECK(t.n_rx_pkt == delivered && t.n_rx_drop == small, "counters %" PRIu64 " / %" PRIu64, t.n_rx_pkt,
          t.n_rx_drop);
    unsigned wlen = 0, laps = 0;
    for (unsigned q : {0u, 2u}) {
        VQ &v = t.vq[q];
        CHECK(v.delivered > 0 && t.msis_for(v.vector) > 0, "q%u: %u delivered, no interrupt", q, v.delivered);
        for (auto &u : v.ulog) wlen += u.len != 0;
        laps += (unsigned)(v.ulog.size() / v.size);
        // what is still posted stays: the device's avail position is the driver's, its used
        // position the driver's used one
        CHECK(t.qindices(q) >> 16 == v.upos(), "q%u: used position %04x, driver %04x", q, t.qindices(q) >> 16,
              v.upos());
    }
    CHECK(wlen == delivered, "%u used descriptors with a length, %u delivered", wlen, delivered);
    std::printf("pk_rx_basic: %u frames over 2 packed pairs (rings 64, 40; ~%u laps), %u delivered, %u to small "
                "chains\n", N, laps, delivered, small);
}

// 5. INDIRECT_DESC in packed rings: TX tables of 1..6 entries and RX tables of 1..3 among
// direct chains; a table takes one ring slot
void pk_indirect()
{
    Tb t(SEED ^ 0x25);
    t.d->pk = 1;
    t.d->ind_en = 1;
    t.lat = 250;
    t.d->rx_queue_pairs = 1;
    t.setup_pk(1, 32, 1);
    t.setup_pk(0, 32, 0);
    t.settle();
    unsigned itx = 0, irx = 0;
    const unsigned N = 120;
    unsigned posted = 0, sent = 0;
    while (posted < N || sent < N) {
        for (unsigned i = 0, b = t.rint(1, 6); i < b && posted < N; i++) {
            bool ind = t.rnd() < 0.6;
            if (!t.post_tx_pk(1, t.rint(60, 2048), ind ? t.rint(1, 6) : t.rint(1, 2), ind)) break;
            itx += ind;
            posted++;
        }
        t.kick(1);
        while (t.vq[0].order.size() < 12) {
            bool ind = t.rnd() < 0.6;
            if (!t.post_rx_pk(0, t.rint(1526, 2048), t.rint(1, ind ? 3 : 2), ind)) break;
            irx += ind;
        }
        t.kick(0);
        t.run(300);
        // frames only for buffers no frame in flight has taken
        for (unsigned i = 0; i < 6 && sent < N && t.vq[0].order.size() > t.vq[0].rx_expect.size(); i++, sent++)
            t.send_rx(t.rx_frame(t.rint(60, 1518)));
        t.run_until([&] { return t.rxq.size() < 2; }, 50000);
    }
    bool ok = t.run_until([&] { return t.vq[1].completed == N && t.vq[0].rx_expect.empty() && t.rxq.empty(); },
                          200000);
    CHECK(ok, "indirect: TX %u of %u, RX %zu waiting", t.vq[1].completed, N, t.vq[0].rx_expect.size());
    t.run(500);
    CHECK(t.vq[1].expect.empty(), "TX frames never sent: %zu", t.vq[1].expect.size());
    CHECK(t.vq[0].delivered == N, "RX delivered %u", t.vq[0].delivered);
    CHECK(t.qerrs.empty(), "%zu queue errors", t.qerrs.size());
    pk_settled(t, 1);
    std::printf("pk_indirect: %u TX frames (%u through tables with junk NEXT/INDIRECT inside), %u RX frames "
                "(%u chains through tables)\n", N, itx, N, irx);
}

// 6. Event suppression (EVENT_IDX on): DISABLE - no message; ENABLE - messages;
// DESC - a message only once the used position passes off_wrap (across the ring end too,
// and when one burst completes the whole ring)
void pk_events()
{
    Tb t(SEED ^ 0x26);
    t.d->pk = 1;
    t.d->ev_en = 1;
    t.lat = 250;
    t.setup_pk(1, 32, 1, VN_EVENT_F_DISABLE);
    t.setup_pk(3, 32, 3, VN_EVENT_F_ENABLE);
    t.setup_pk(5, 16, 5, VN_EVENT_F_DESC, 0x8000 | 10);
    t.setup_pk(7, 8, 7, VN_EVENT_F_DESC, 0x8000 | 3);
    t.settle();
    auto batch = [&](unsigned q, unsigned n) {
        for (unsigned i = 0; i < n; i++) CHECK(t.post_tx_pk(q, t.rint(60, 300), 1), "post q%u", q);
        t.kick(q);
        bool ok = t.run_until([&] { return t.vq[q].out.empty(); }, 30000);
        CHECK(ok, "q%u: batch not completed", q);
        t.run(1500);
    };
    // DISABLE and ENABLE, 4 batches each
    for (int r = 0; r < 4; r++) {
        batch(1, 5);
        batch(3, 5);
    }
    unsigned n1 = t.msis_for(1), n3 = t.msis_for(3);
    CHECK(n1 == 0, "DISABLE: %u messages", n1);
    CHECK(n3 >= 4, "ENABLE: %u messages for 4 batches", n3);
    // DISABLE -> ENABLE: messages again
    t.set_events(t.vq[1], VN_EVENT_F_ENABLE, 0);
    batch(1, 3);
    CHECK(t.msis_for(1) >= 1, "DISABLE then ENABLE: no message");
    // DESC at slot 10 (wrap 1): 5 used - none; 10 more (slots 5..14) - one, after slot 10
    VQ &v = t.vq[5];
    uint64_t t0 = t.cyc;
    batch(5, 5);
    CHECK(t.msis_for(5, t0) == 0, "DESC 10: message with the used position at 5");
    t0 = t.cyc;
    batch(5, 10);
    unsigned n = t.msis_for(5, t0);
    uint64_t at10 = 0;
    for (auto &u : v.ulog) if (u.slot == 10 && u.wrap) at10 = u.cyc;
    uint64_t first = UINT64_MAX;
    for (auto &m : t.msis) if (m.second == 5 && m.first >= t0) first = std::min(first, m.first);
    CHECK(n == 1, "DESC 10: %u messages as the used position went 5 -> 15", n);
    CHECK(at10 && first > at10, "DESC 10: message at %" PRIu64 " before slot 10 was used at %" PRIu64, first, at10);
    // across the ring end: off_wrap slot 3 of the next lap (wrap 0); 4 used (15, 0, 1, 2) -
    // none; one more (slot 3) - one
    t.set_events(v, VN_EVENT_F_DESC, 3);
    t0 = t.cyc;
    batch(5, 4);
    CHECK(t.msis_for(5, t0) == 0, "DESC 3/wrap 0: message with the used position at 3");
    t0 = t.cyc;
    batch(5, 1);
    CHECK(t.msis_for(5, t0) == 1, "DESC 3/wrap 0: %u messages once slot 3 was used", t.msis_for(5, t0));
    CHECK(v.upos() == 4, "q5 used position %04x", v.upos());
    // a burst that completes the whole ring: a driver that enabled with off_wrap = its used
    // position (Linux virtqueue_enable_cb_prepare_packed) and filled the ring must be told
    VQ &w = t.vq[7];
    t0 = t.cyc;
    batch(7, 3);   // used position 3 (wrap 1): slot 3 not used yet - none
    CHECK(t.msis_for(7, t0) == 0, "DESC 3: message with the used position at 3");
    t.set_events(w, VN_EVENT_F_DESC, w.upos());
    t0 = t.cyc;
    batch(7, 8);   // slots 3..7, 0..2: position back at 3, wrap 0
    unsigned nl = t.msis_for(7, t0);
    uint64_t span = w.ulog.back().cyc - w.ulog[w.ulog.size() - 8].cyc;
    CHECK(nl >= 1, "DESC %04x: no message after a burst used the whole ring of 8 (used writes over %" PRIu64
          " cycles, used position now %04x)", 0x8003, span, w.upos());
    pk_settled(t, 7);
    std::printf("pk_events: DISABLE %u, ENABLE %u messages; DESC at off_wrap: %u then 1, across the ring end "
                "0 then 1, whole-ring burst %u\n", n1, n3, 0u, nl);
}

// 7. Queue reset of packed queues (TX q1 past its first lap, RX q0) under load while q3
// and q2 keep going: exact, silent after IDLE; restarted at PACKED_BASE_START on the same
// (re-zeroed) memory they work from slot 0 with wrap counters 1
void pk_reset()
{
    Tb t(SEED ^ 0x27);
    t.d->pk = 1;
    t.lat = 250;
    t.d->rx_queue_pairs = 2;
    t.setup_pk(1, 16, 1);
    t.setup_pk(3, 64, 3);
    t.setup_pk(0, 32, 0);
    t.setup_pk(2, 32, 2);
    t.vq[0].lax = true;    // frames to pair 0 may be dropped by its reset
    t.settle();
    // q1 into its second lap (wrap counters 0)
    while (t.vq[1].pa_wrap) {
        t.post_tx_pk(1, t.rint(60, 300), t.rint(1, 2));
        t.kick(1);
        t.run(20);
    }
    CHECK(t.run_until([&] { return t.vq[1].out.empty(); }, 30000), "q1 first lap");
    CHECK(!t.vq[1].pu_wrap && (t.qindices(1) & 0x80008000u) == 0, "q1 indices %08x: not in wrap 0",
          t.qindices(1));
    // load everywhere, slow host
    t.lat = 2500;
    t.jitter = 0;
    for (int i = 0; i < 14; i++) t.post_tx_pk(1, t.rint(60, 2048), t.rint(1, 2));
    t.kick(1);
    unsigned q3n = 0;
    auto feed = [&] {
        for (unsigned q : {0u, 2u}) {
            while (t.vq[q].order.size() < 16 && t.post_rx_pk(q, 2048, t.rint(1, 2))) {}
            t.kick(q);
        }
        while (q3n < 80 && t.post_tx_pk(3, t.rint(60, 1500), t.rint(1, 2))) q3n++;
        t.kick(3);
        while (t.rxq.size() < 4) {
            unsigned p = t.rint(0, 1);
            t.send_rx(t.rx_frame(t.rint(60, 1518), p), p == 1);
        }
    };
    feed();
    t.run_until([&] { feed(); t.run(20); return t.vq[1].sent >= t.vq[1].posted - 10 && t.vq[0].seen >= 2; }, 60000);
    CHECK(t.qinflight(1) > 0, "q1 has nothing in flight at its reset");
    t.stop_queue(1);
    t.stop_queue(0);
    uint64_t idle[2] = {0, 0};
    bool ok = t.run_until([&] {
        if (!idle[0] && t.qstate(1) == VN_QSTATE_IDLE) idle[0] = t.cyc;
        if (!idle[1] && t.qstate(0) == VN_QSTATE_IDLE) idle[1] = t.cyc;
        if (t.cyc % 32 == 0) {
            for (unsigned q : {2u}) { while (t.vq[q].order.size() < 16 && t.post_rx_pk(q, 2048, 1)) {} t.kick(q); }
        }
        return idle[0] && idle[1];
    }, 60000);
    CHECK(ok, "reset did not reach IDLE");
    // the others go on
    t.run_until([&] { feed(); t.run(40); return q3n == 80 && t.vq[3].out.empty(); }, 200000);
    t.run(2000);
    unsigned completed = 0, untouched = 0;
    t.check_exact_pk(1, idle[0], completed, untouched);
    t.check_exact_pk(0, idle[1], completed, untouched);
    CHECK(t.vq[3].completed == 80 && t.vq[3].expect.empty(), "q3 disturbed: %u completed", t.vq[3].completed);
    CHECK(t.vq[2].delivered > 0, "q2 got nothing");
    // restart both on the same memory
    t.lat = 250;
    t.run_until([&] {
        if (t.cyc % 64 == 0) { while (t.vq[2].order.size() < 16 && t.post_rx_pk(2, 2048, 1)) {} t.kick(2); }
        return t.rxq.empty() && t.vq[2].rx_expect.empty();
    }, 50000);
    CHECK(t.vq[2].rx_expect.empty(), "q2: %zu frames not delivered", t.vq[2].rx_expect.size());
    t.run(3000);
    t.vq[0].lax = false;
    uint64_t restart = t.cyc;
    t.setup_pk(1, 16, 1, VN_EVENT_F_ENABLE, 0, true);
    t.setup_pk(0, 32, 0, VN_EVENT_F_ENABLE, 0, true);
    t.settle();
    CHECK(t.qindices(1) == 0x80008000u && t.qindices(0) == 0x80008000u, "restarted at %08x / %08x",
          t.qindices(1), t.qindices(0));
    for (int i = 0; i < 30; i++) {
        CHECK(t.post_tx_pk(1, t.rint(60, 1500), t.rint(1, 2)) || t.vq[1].nfree < 2, "post");
        t.kick(1);
        t.run(40);
        if (i == 5) {
            for (int k = 0; k < 10; k++) t.post_rx_pk(0, 2048, t.rint(1, 2));
            t.kick(0);
        }
    }
    t.run(600);
    for (int i = 0; i < 8; i++) t.send_rx(t.rx_frame(t.rint(60, 1518), 0));
    ok = t.run_until([&] { return t.vq[1].out.empty() && t.vq[0].rx_expect.empty() && t.rxq.empty(); }, 100000);
    CHECK(ok, "restarted queues: TX %zu outstanding, RX %zu frames waiting", t.vq[1].out.size(),
          t.vq[0].rx_expect.size());
    for (unsigned q : {1u, 0u}) {
        VQ &v = t.vq[q];
        CHECK(!v.ulog.empty() && v.ulog[0].slot == 0 && v.ulog[0].wrap && v.ulog[0].flags ==
              ((q & 1 ? 0 : VN_DESC_F_WRITE) | VN_PDESC_F_AVAIL | VN_PDESC_F_USED),
              "q%u: first used descriptor after the restart not at slot 0 with wrap 1", q);
        CHECK(v.ulog.empty() || v.ulog[0].cyc > restart, "q%u: used descriptor before the restart", q);
    }
    CHECK(t.vq[1].expect.empty(), "q1: %zu frames never sent after the restart", t.vq[1].expect.size());
    CHECK(t.vq[0].delivered == 8, "q0: %u delivered after the restart", t.vq[0].delivered);
    pk_settled(t, 1);
    std::printf("pk_reset: TX q1 (wrap 0) and RX q0 reset under load (latency 2500): exact (%u completed, %u "
                "untouched), silent after IDLE, q3/q2 undisturbed; restarted at 0x8000: slot 0, wrap 1\n",
                completed, untouched);
}

// 8. Read completions out of order (PCIe allows it): the line of slots 32..63 (read for a
// second kick) is answered before the line of slots 0..31.  A chain then made available
// across slots 30..33 is seen whole in the late line 0..31 but its slots 32, 33 only in
// the stale early line.  It must still go out once, as one frame.
void pk_reorder()
{
    Tb t(SEED ^ 0x28);
    t.d->pk = 1;
    t.lat = 250;
    t.setup_pk(1, 64, 1);
    t.settle();
    VQ &v = t.vq[1];
    int slow = 1, fast = 1;
    t.lat_fn = [&](uint64_t a, unsigned len) -> uint64_t {
        if (len == 512 && a == v.desc && slow) { slow = 0; return 1500; }
        if (len == 512 && a == v.desc + 512 && fast) { fast = 0; return 100; }
        return t.lat;
    };
    t.post_tx_pk(1, 100, 1);     // slot 0
    t.kick(1);
    t.run(20);                   // the read of 0..31 is out (answered at +1500)
    t.post_tx_pk(1, 100, 1);     // slot 1
    t.kick(1);
    t.run(200);                  // the read of 32..63 is out and answered: nothing there
    CHECK(!slow && !fast, "the two ring reads did not go out");
    for (int i = 0; i < 28; i++) t.post_tx_pk(1, 100, 1);   // slots 2..29
    uint16_t zid = 0;
    t.post_tx_pk(1, 400, 4);     // slots 30..33
    zid = v.order.back();
    t.kick(1);
    bool ok = t.run_until([&] { return v.out.empty(); }, 20000);
    t.run(2000);
    CHECK(ok, "reorder: %zu chains outstanding", v.out.size());
    CHECK(t.txframes.size() == 31, "reorder: %zu frames for 31 chains", t.txframes.size());
    unsigned zused = 0;
    for (auto &u : v.ulog) zused += u.id == zid;
    CHECK(zused == 1, "reorder: the chain across slots 30..33 (id %u) used %u times", zid, zused);
    CHECK(v.expect.empty(), "reorder: %zu frames never sent", v.expect.size());
    CHECK((t.qindices(1) & 0xffff) == 0x8000 + 34, "reorder: device avail position %04x, want %04x",
          t.qindices(1) & 0xffff, 0x8000 + 34);
    std::printf("pk_reorder: ring line answers out of order, chain across them: %zu frames, chain used %u time(s)\n",
                t.txframes.size(), zused);
}

// Read completions out of order again, now across laps of a ring of 4.  The device reads
// lap 1 (slots 1..3, answered at once) and, for the kick after it, lap 2 (slow); once lap
// 1 is taken its last slot being available makes it read on: lap 3, answered at once -
// while the driver has not written lap 2 yet, so the slots hold what lap 1 left there:
// a chain's second slot (never overwritten by a used descriptor) and three heads whose
// used descriptors are not written yet, all with lap 1's wrap counter, which is lap 3's.
// The driver then fills lap 2; nothing may be taken from that early look at lap 3.
void pk_lap()
{
    Tb t(SEED ^ 0x2b);
    t.d->pk = 1;
    t.lat = 250;
    t.setup_pk(1, 4, 1);
    t.settle();
    VQ &v = t.vq[1];
    auto done = [&] { return t.run_until([&] { return v.out.empty(); }, 20000); };
    // lap 0: slots 0, 1, 2, then a chain from slot 3 into slot 0 of lap 1
    for (int i = 0; i < 3; i++) t.post_tx_pk(1, 100, 1);
    t.kick(1);
    CHECK(done(), "lap 0");
    CHECK(t.post_tx_pk(1, 300, 2), "post");
    t.kick(1);
    CHECK(done(), "lap 0 end");
    t.run(2000);
    CHECK(v.apos() == 0x0001, "driver at %04x", v.apos());
    // lap 1, slots 1..3: one kick, then another (as for a further post) with the line out
    int n2 = 0, n3 = 0;
    t.lat_fn = [&](uint64_t a, unsigned len) -> uint64_t {
        if (a == v.desc && len == 64) {
            // a whole-ring read: the first is lap 2 (slow), the second lap 3 (fast)
            if (!n2) { n2 = 1; return 1500; }
            if (!n3) { n3 = 1; return 20; }
        }
        return t.lat;
    };
    t.post_tx_pk(1, 100, 1);
    t.kick(1);
    t.run(5);
    t.post_tx_pk(1, 100, 1);
    t.post_tx_pk(1, 100, 1);
    t.kick(1);
    // (a device that never reads a whole ring past its position never reads lap 3 here)
    bool early = t.run_until([&] { return n2 && n3; }, 3000);
    // lap 1 completes; then lap 2 is filled before its read is answered
    CHECK(done(), "lap 1");
    size_t frames = t.txframes.size();
    for (int i = 0; i < 4; i++) t.post_tx_pk(1, 100, 1);
    t.kick(1);
    CHECK(done(), "lap 2");
    t.run(3000);
    CHECK(t.txframes.size() == frames + 4, "lap: %zu frames for the 4 of lap 2", t.txframes.size() - frames);
    CHECK(v.expect.empty(), "lap: %zu frames never sent", v.expect.size());
    pk_settled(t, 1);
    std::printf("pk_lap: ring of 4, lap 3 %s; %zu frames for the 4 chains of lap 2\n",
                early ? "read (answered at once) while lap 2's read was out" : "not read ahead",
                t.txframes.size() - frames);
}

// The ring scanner serves a queue with a kick waiting first.  A packed RX queue whose two
// lines are read and full of buffers no frame has needed yet, and which gets another kick,
// stays such a queue: its line read cannot go out, yet the scanner keeps picking it.
// Meanwhile pair 0 needs its ring read again (a buffer posted after its line was read,
// with that kick taken by a later read) and its event suppression area read for the
// message announcing the frames it got.  Both must still happen.
void pk_starve()
{
    Tb t(SEED ^ 0x2a);
    t.d->pk = 1;
    t.lat = 250;
    t.d->rx_queue_pairs = 2;
    t.setup_pk(0, 64, 0);
    t.setup_pk(2, 64, 2);
    t.settle();
    // pair 1: 40 buffers, read as two lines (0..31, 32..63) and kept; then one more and a kick
    for (int i = 0; i < 40; i++) t.post_rx_pk(2, 2048, 1);
    t.kick(2);
    t.run(1500);
    t.post_rx_pk(2, 2048, 1);
    t.kick(2);
    t.run(100);
    // pair 0: 4 buffers and a kick (line 0..31), 4 more and a kick (taken by line 32..63)
    for (int i = 0; i < 4; i++) t.post_rx_pk(0, 2048, 1);
    t.kick(0);
    t.run(1000);
    for (int i = 0; i < 4; i++) t.post_rx_pk(0, 2048, 1);
    t.kick(0);
    t.run(1000);
    size_t reads0 = t.rdlog.size();
    // five frames for pair 0: the fifth needs slot 4, which its line 0..31 shows unavailable
    for (int i = 0; i < 5; i++) t.send_rx(t.rx_frame(t.rint(60, 1000), 0));
    t.send_rx(t.rx_frame(200, 1));
    uint64_t t0 = t.cyc;
    bool ok = t.run_until([&] { return t.vq[0].delivered == 5 && t.vq[2].delivered == 1; }, 20000);
    unsigned m0 = t.msis_for(0, t0);
    bool ring_read = false, ev_read = false;
    for (size_t i = reads0; i < t.rdlog.size(); i++) {
        const Wr &r = t.rdlog[i];
        ring_read |= r.addr >= t.vq[0].desc && r.addr < t.vq[0].desc + 16 * 64 && r.len > 64;
        ev_read |= r.addr == t.vq[0].drv_ev;
    }
    CHECK(ok, "starve: pair 0 got %u of 5 frames, pair 1 %u of 1 after 20000 cycles (pair 0 ring read again: "
          "%s)", t.vq[0].delivered, t.vq[2].delivered, ring_read ? "yes" : "no");
    CHECK(m0 >= 1, "starve: no message for pair 0's %u used buffers (event area read: %s)", t.vq[0].delivered,
          ev_read ? "yes" : "no");
    unsigned d0 = t.vq[0].delivered;
    // a kick on pair 0 (nothing new) unblocks it
    t.kick(0);
    bool after = t.run_until([&] { return t.vq[0].delivered == 5 && t.vq[2].delivered == 1; }, 20000);
    t.run(2000);
    std::printf("pk_starve: pair 1 full of buffers with a kick waiting; pair 0 got %u of 5 frames and %u "
                "message(s) in 20000 cycles; after another kick on pair 0: %s\n", d0, m0,
                after ? "all delivered" : "still stuck");
}

// the packed scenarios with reads answered out of order (interleaved, jittered): chains
// of 1..4 slots on every TX queue and RX on every pair
void pk_mixed()
{
    Tb t(SEED ^ 0x29);
    t.d->pk = 1;
    t.d->ind_en = 1;
    t.lat = 250;
    t.jitter = 200;
    t.interleave = true;
    t.snap_p = 0.5;
    t.wr_ready_p = 0.9;
    t.tx_ready_p = 0.9;
    const uint16_t sz[QP] = {64, 48, 16, 7};
    for (unsigned p = 0; p < QP; p++) {
        t.setup_pk(2 * p + 1, sz[p], (uint16_t)(2 * p + 1));
        t.setup_pk(2 * p, sz[p], (uint16_t)(2 * p));
    }
    t.settle();
    const unsigned N = 150;
    unsigned posted[NQ] = {}, rx = 0;
    for (uint64_t guard = 0; guard < 4000; guard++) {
        bool all = rx >= N;
        CHECK(guard < 3999, "mixed: not all posted");
        for (unsigned p = 0; p < QP; p++) {
            unsigned q = 2 * p + 1;
            for (unsigned i = 0, b = t.rint(1, 6); i < b && posted[q] < N; i++) {
                bool ind = t.rnd() < 0.2;
                if (!t.post_tx_pk(q, t.rint(60, 1500), t.rint(1, std::min<unsigned>(4, sz[p])), ind)) break;
                posted[q]++;
            }
            t.kick(q);
            all &= posted[q] == N;
            VQ &r = t.vq[2 * p];
            while (r.order.size() < sz[p] / 2u + 1 &&
                   t.post_rx_pk(2 * p, t.rint(1526, 2048), t.rint(1, std::min<unsigned>(3, sz[p])), t.rnd() < 0.2)) {}
            t.kick(2 * p);
        }
        t.run(t.rint(100, 400));
        // up to 4 frames, each to a pair with a buffer no frame in flight has taken
        for (unsigned i = 0; i < 4 && rx < N; i++) {
            std::vector<unsigned> spare;
            for (unsigned p = 0; p < QP; p++)
                if (t.vq[2 * p].order.size() > t.vq[2 * p].rx_expect.size()) spare.push_back(p);
            if (spare.empty()) break;
            t.send_rx(t.rx_frame(t.rint(60, 1518), spare[t.rint(0, (unsigned)spare.size() - 1)]));
            rx++;
        }
        t.run_until([&] { return t.rxq.size() < 2; }, 20000);
        if (all) break;
    }
    bool ok = t.run_until([&] {
        for (unsigned q = 0; q < NQ; q++) if ((q & 1) ? !t.vq[q].out.empty() : !t.vq[q].rx_expect.empty()) return false;
        return t.rxq.empty();
    }, 300000);
    CHECK(ok, "mixed: work left");
    unsigned delivered = 0;
    for (unsigned p = 0; p < QP; p++) {
        CHECK(t.vq[2 * p + 1].expect.empty(), "q%u: %zu frames never sent", 2 * p + 1, t.vq[2 * p + 1].expect.size());
        pk_settled(t, 2 * p + 1);
        delivered += t.vq[2 * p].delivered;
    }
    CHECK(delivered == N, "mixed: %u of %u delivered", delivered, N);
    std::printf("pk_mixed: 4 TX x %u frames, %u RX frames, packed rings 64/48/16/7, reads out of order\n", N, N);
}

// A real driver in a loop, as testpmd's io forwarding over the vDPA bridge runs it: up to
// 32 frames a pair circulate (TX -> MAC -> RX, on the pair the flow picks -> the driver ->
// TX) on 1 to 4 pairs of 256-slot rings (or sizes whose lines end at odd places), with
// notifications on or off.  The driver wakes at random (sometimes after a long sleep, as a descheduled process
// does), refills what it received and kicks once, then sends a burst and kicks once; its
// kicks reach the device up to a bridge chunk (2048 cycles) after its writes, and half the
// reads see host memory as it was when they were accepted (vn_model's way), so a write and
// its kick can land while a read that missed it is in flight.  Circulation must never stop.
void pk_loop()
{
    Tb t(SEED ^ 0x2c);
    t.d->pk = 1;
    const unsigned NP = t.rint(1, QP);   // pairs in use; the rest stay off
    t.d->rx_queue_pairs = NP;
    t.lat = 250;
    t.jitter = t.rint(0, 300);
    t.interleave = t.rnd() < 0.5;
    t.snap_p = 0.5;
    // testpmd's 256, and rings that make lines end at odd places
    const uint16_t sizes[] = {256, 256, 64, 100, 33, 40};
    const uint16_t sz = sizes[t.rint(0, 5)];
    // a polling driver (DPDK) turns notifications off; an interrupt-driven one leaves them on
    const uint16_t ev = t.rnd() < 0.5 ? VN_EVENT_F_DISABLE : VN_EVENT_F_ENABLE;
    for (unsigned p = 0; p < NP; p++) {
        t.setup_pk(2 * p, sz, (uint16_t)(2 * p), ev);
        t.setup_pk(2 * p + 1, sz, (uint16_t)(2 * p + 1), ev);
    }
    t.settle();
    for (unsigned p = 0; p < NP; p++) {
        for (unsigned i = 0; i < sz; i++) t.post_rx_pk(2 * p, 2048, 1);
        t.kick(2 * p);
    }
    // a frame may land on any pair (the flow hash), so a pair's RX ring holds them all
    const unsigned CIRC = std::min<unsigned>(32, sz / NP), TOTAL = 3000;
    unsigned to_send[QP] = {}, got[QP] = {}, fed = 0, sleeps = 0;
    for (unsigned p = 0; p < NP; p++) to_send[p] = CIRC;
    auto delivered = [&] { unsigned n = 0; for (unsigned p = 0; p < NP; p++) n += t.vq[2 * p].delivered; return n; };
    auto completed = [&] { unsigned n = 0; for (unsigned p = 0; p < NP; p++) n += t.vq[2 * p + 1].completed; return n; };
    uint64_t progress_at = 0;
    unsigned last_total = 0;
    std::vector<std::pair<uint64_t, unsigned>> kicks;   // (due cycle, queue)
    auto advance = [&](uint64_t n) {
        for (uint64_t i = 0; i < n; i++) {
            for (size_t k = 0; k < kicks.size();)
                if (kicks[k].first <= t.cyc) { t.kick(kicks[k].second); kicks.erase(kicks.begin() + (long)k); }
                else k++;
            // the loopback: every frame the MAC sent comes back in, on the pair its flow picks
            for (unsigned c = completed(); fed < c; fed++) t.send_rx(t.rx_frame(t.rint(60, 300)));
            t.step();
        }
    };
    auto kick_later = [&](unsigned q) { kicks.push_back({t.cyc + t.rint(0, 2048), q}); };
    while (delivered() < TOTAL) {
        for (unsigned p = 0; p < NP; p++) {
            VQ &rx = t.vq[2 * p];
            unsigned fresh = rx.delivered - got[p];
            got[p] = rx.delivered;
            // receive: refill what was taken (written one by one while the device runs)
            for (unsigned i = 0; i < fresh; i++) {
                CHECK(t.post_rx_pk(2 * p, 2048, 1), "RX refill");
                if (t.rnd() < 0.2) advance(t.rint(0, 8));
            }
            if (fresh) kick_later(2 * p);
            to_send[p] += fresh;
            // transmit what was received, up to a burst, then kick once
            unsigned b = std::min(to_send[p], 32u), sent = 0;
            for (; sent < b; sent++) {
                if (!t.post_tx_pk(2 * p + 1, t.rint(60, 300), 1)) break;
                if (t.rnd() < 0.2) advance(t.rint(0, 8));
            }
            to_send[p] -= sent;
            if (sent) kick_later(2 * p + 1);
        }
        bool nap = t.rnd() < 0.03;
        sleeps += nap;
        advance(nap ? t.rint(3000, 30000) : t.rint(1, 500));
        unsigned total = delivered() + completed();
        if (total != last_total) { last_total = total; progress_at = t.cyc; }
        if (t.cyc - progress_at > 200000 && kicks.empty()) {
            CHECK(false, "loop: circulation stopped at cycle %" PRIu64 ": %u delivered, %u sent, %zu frames at "
                  "the MAC input", t.cyc, delivered(), completed(), t.rxq.size());
            for (unsigned p = 0; p < NP; p++)
                std::printf("  pair %u: to send %u, TX %zu chains out (device at %08x), RX device at %08x\n", p,
                            to_send[p], t.vq[2 * p + 1].out.size(), t.qindices(2 * p + 1), t.qindices(2 * p));
            return;
        }
    }
    CHECK(t.n_rx_drop == 0, "loop: %" PRIu64 " frames dropped on receive", t.n_rx_drop);
    std::printf("pk_loop: %u pair(s), rings of %u, notifications %s, %u frames circulating per pair, %u delivered, "
                "%u sent, %u long sleeps, %" PRIu64 " cycles\n", NP, sz, ev == VN_EVENT_F_DISABLE ? "off" : "on", CIRC,
                delivered(), completed(), sleeps, t.cyc);
}

}  // namespace vqtb
