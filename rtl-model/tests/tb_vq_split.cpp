// tb_vq_split.cpp: the split-ring scenarios of vq_engines_tb: TX and RX byte for byte,
// RX drops, interrupts, descriptor and indirect-table errors, queue resets in flight and
// exact under load, device reset, limits, and the throughput runs (modeled cycles per
// packet).  The harness is in vq_tb.h.
#include "vq_tb.h"

namespace vqtb {

void tx_basic()
{
    Tb t(SEED ^ 1);
    t.lat = 250;
    t.jitter = 200;
    t.interleave = true;
    t.wr_ready_p = 0.8;
    t.msi_ready_p = 0.7;
    t.tx_ready_p = 0.85;
    const unsigned per_q = 150;
    for (unsigned p = 0; p < QP; p++) t.setup(2 * p + 1, 128, (uint16_t)(2 * p + 1));
    t.settle();
    for (unsigned p = 0; p < QP; p++) CHECK(t.qstate(2 * p + 1) == VN_QSTATE_RUNNING, "q%u not running", 2 * p + 1);
    // sizes: the edges, then random; segments 1..6, headers often cut
    std::vector<unsigned> edge = {60, 61, 63, 64, 65, 127, 128, 129, 1514, 1518, 2047, 2048};
    unsigned posted[NQ] = {};
    while (true) {
        bool any = false;
        for (unsigned p = 0; p < QP; p++) {
            unsigned q = 2 * p + 1;
            unsigned burst = t.rint(1, 8);
            for (unsigned i = 0; i < burst && posted[q] < per_q; i++) {
                unsigned len = posted[q] < edge.size() ? edge[posted[q]] : t.rint(60, 2048);
                unsigned nseg = t.rint(1, 6);
                if (!t.post_tx(q, len, nseg, t.rnd() < 0.5)) break;
                posted[q]++;
                any = true;
            }
            t.publish(t.vq[q]);
            t.kick(q);
        }
        t.run(t.rint(50, 400));
        bool done = true;
        for (unsigned p = 0; p < QP; p++) done &= posted[2 * p + 1] == per_q;
        if (done && !any) break;
    }
    bool ok = t.run_until([&] {
        for (unsigned p = 0; p < QP; p++)
            if (t.vq[2 * p + 1].completed != per_q) return false;
        return true;
    }, 400000);
    CHECK(ok, "TX did not complete every frame");
    for (unsigned p = 0; p < QP; p++) {
        VQ &v = t.vq[2 * p + 1];
        CHECK(v.expect.empty(), "q%u: %zu frames never sent", v.q, v.expect.size());
        CHECK(v.seen == per_q, "q%u: used %u", v.q, v.seen);
        CHECK((t.qindices(v.q) & 0xffff) == per_q && (t.qindices(v.q) >> 16) == per_q,
              "q%u: indices %08x", v.q, t.qindices(v.q));
        unsigned n = 0;
        for (auto &m : t.msis) n += m.second == v.vector;
        CHECK(n > 0, "q%u: no interrupt", v.q);
    }
    CHECK(t.n_tx_pkt == QP * per_q, "cnt_tx_pkt %" PRIu64, t.n_tx_pkt);
    CHECK(t.txframes.size() == QP * per_q, "%zu frames on the MAC", t.txframes.size());
    std::printf("tx_basic: %u queues x %u frames (60..2048 B, 1..6 descriptors, headers split), "
                "%" PRIu64 " cycles\n", QP, per_q, t.cyc);
}

void rx_basic()
{
    Tb t(SEED ^ 2);
    t.lat = 250;
    t.jitter = 150;
    t.interleave = true;
    t.wr_ready_p = 0.8;
    t.msi_ready_p = 0.8;
    t.rx_valid_p = 0.5;
    for (unsigned p = 0; p < QP; p++) t.setup(2 * p, 128, (uint16_t)(2 * p));
    t.settle();
    auto refill = [&](unsigned q) {
        VQ &v = t.vq[q];
        while (v.order.size() < 48) {
            unsigned nseg = t.rint(1, 4);
            uint32_t cap = t.rnd() < 0.1 ? t.rint(nseg + 12, 400) : t.rint(1526, 2200);
            if (!t.post_rx(q, cap, nseg)) break;
        }
        t.publish(v);
        t.kick(q);
    };
    for (unsigned p = 0; p < QP; p++) refill(2 * p);
    t.run(1200);
    const unsigned N = 600;
    std::vector<unsigned> edge = {60, 64, 65, 127, 128, 1500, 1514, 1518, 38, 37};
    unsigned sent = 0, nonip = 0;
    while (sent < N) {
        unsigned len = sent < edge.size() ? std::max(60u, edge[sent]) : t.rint(60, 1518);
        bool ip = t.rnd() < 0.9;
        nonip += !ip;
        t.send_rx(t.rx_frame(len, ~0u, ip));
        sent++;
        if (sent % 16 == 0) {
            t.run_until([&] { return t.rxq.size() < 4; }, 100000);
            for (unsigned p = 0; p < QP; p++) refill(2 * p);
        }
    }
    bool ok = t.run_until([&] {
        for (unsigned p = 0; p < QP; p++)
            if (!t.vq[2 * p].rx_expect.empty()) return false;
        return t.rxq.empty();
    }, 400000);
    CHECK(ok, "RX did not deliver every frame");
    uint32_t delivered = 0, small = 0;
    for (unsigned p = 0; p < QP; p++) {
        delivered += t.vq[2 * p].delivered;
        small += t.vq[2 * p].small;
        CHECK(t.vq[2 * p].delivered > 0, "pair %u got nothing", p);
    }
    CHECK(delivered + small == N, "delivered %u + small %u != %u", delivered, small, N);
    CHECK(t.n_rx_pkt == delivered, "cnt_rx_pkt %" PRIu64 " != %u", t.n_rx_pkt, delivered);
    CHECK(t.n_rx_drop == small, "cnt_rx_drop %" PRIu64 " != small chains %u", t.n_rx_drop, small);
    for (unsigned p = 0; p < QP; p++) {
        unsigned n = 0;
        for (auto &m : t.msis) n += m.second == 2 * p;
        CHECK(n > 0, "q%u: no interrupt", 2 * p);
    }
    std::printf("rx_basic: %u frames over %u pairs (%u non-IPv4), %u delivered, %u to small chains, "
                "%" PRIu64 " cycles\n", N, QP, nonip, delivered, small, t.cyc);
}

void rx_drops()
{
    Tb t(SEED ^ 3);
    t.lat = 250;
    t.d->rx_queue_pairs = 3;
    t.setup(0, 64, 0);       // pair 0: no buffers at first
    t.setup(2, 64, 2);       // pair 1: buffers; pair 2 (queue 4) never started
    t.settle();
    for (int i = 0; i < 8; i++) t.post_rx(2, 2048, 1);
    t.publish(t.vq[2]);
    t.kick(2);
    t.run(800);
    // no buffer on queue 0 (even after the re-read), queue 4 not running
    for (int i = 0; i < 5; i++) t.send_rx(t.rx_frame(t.rint(60, 1518), 0), false);
    for (int i = 0; i < 3; i++) t.send_rx(t.rx_frame(t.rint(60, 1518), 2), false);
    for (int i = 0; i < 4; i++) t.send_rx(t.rx_frame(t.rint(60, 1518), 1));
    t.run_until([&] { return t.rxq.empty() && t.vq[2].rx_expect.empty(); }, 20000);
    t.run(1000);
    CHECK(t.n_rx_drop == 8, "drops %" PRIu64 ", want 8", t.n_rx_drop);
    CHECK(t.vq[2].delivered == 4, "pair 1 delivered %u", t.vq[2].delivered);
    CHECK(!t.writes_after(0, t.vq[0].used, t.vq[0].used + 6 + 8 * 64), "queue 0 got used writes");
    // buffers arrive: frames flow again
    for (int i = 0; i < 4; i++) t.post_rx(0, 1600, 2);
    t.publish(t.vq[0]);
    t.kick(0);
    t.run(800);
    for (int i = 0; i < 4; i++) t.send_rx(t.rx_frame(t.rint(60, 1518), 0));
    t.run_until([&] { return t.rxq.empty() && t.vq[0].rx_expect.empty(); }, 20000);
    CHECK(t.vq[0].delivered == 4, "queue 0 delivered %u after refill", t.vq[0].delivered);
    // a buffer posted without a doorbell is found by the re-read before dropping
    t.post_rx(0, 1600, 1);
    t.publish(t.vq[0]);
    t.send_rx(t.rx_frame(200, 0));
    t.run_until([&] { return t.rxq.empty() && t.vq[0].rx_expect.empty(); }, 20000);
    CHECK(t.vq[0].delivered == 5, "re-read did not find the new buffer");
    // the data path off: everything dropped
    t.d->datapath_en = 0;
    for (int i = 0; i < 3; i++) t.send_rx(t.rx_frame(100, 1), false);
    t.run_until([&] { return t.rxq.empty(); }, 20000);
    t.run(100);
    CHECK(t.n_rx_drop == 11, "drops %" PRIu64 ", want 11", t.n_rx_drop);
    CHECK(t.rx_stall < 64, "MAC stalled %" PRIu64 " cycles", t.rx_stall);
    std::printf("rx_drops: no buffer / queue not running / datapath off dropped and counted, "
                "re-read finds late buffers\n");
}

void interrupts()
{
    Tb t(SEED ^ 4);
    t.lat = 250;
    t.setup(1, 64, 1, VN_AVAIL_F_NO_INTERRUPT);
    t.setup(3, 64, VN_MSIX_NO_VECTOR);
    t.setup(5, 64, 5);
    t.settle();
    for (int r = 0; r < 4; r++) {
        for (unsigned q : {1u, 3u, 5u}) {
            for (int i = 0; i < 5; i++) t.post_tx(q, t.rint(60, 300), t.rint(1, 3));
            t.publish(t.vq[q]);
            t.kick(q);
        }
        t.run(1500);
    }
    t.run_until([&] { return t.vq[1].completed == 20 && t.vq[3].completed == 20 && t.vq[5].completed == 20; },
                100000);
    t.run(200);
    unsigned n1 = 0, n3 = 0, n5 = 0;
    for (auto &m : t.msis) {
        n1 += m.second == 1;
        n3 += m.second == VN_MSIX_NO_VECTOR;
        n5 += m.second == 5;
    }
    CHECK(t.vq[1].completed == 20 && t.vq[3].completed == 20 && t.vq[5].completed == 20, "not completed");
    CHECK(n1 == 0, "NO_INTERRUPT queue interrupted %u times", n1);
    CHECK(n3 == 0, "NO_VECTOR requested %u times", n3);
    CHECK(n5 >= 4, "queue 5: %u interrupts for 4 batches", n5);
    CHECK(t.msis.size() == n5, "stray interrupts");
    std::printf("interrupts: NO_INTERRUPT and NO_VECTOR suppress, %u MSI-X for 4 batches\n", n5);
}

void reset_inflight()
{
    Tb t(SEED ^ 5);
    t.lat = 2500;
    t.jitter = 300;
    t.interleave = true;
    t.strict_rx = false;
    t.setup(1, 256, 1);
    t.setup(3, 256, 3);
    t.setup(0, 256, 0);
    t.d->rx_queue_pairs = 1;
    t.settle();
    for (int i = 0; i < 120; i++) t.post_tx(1, t.rint(60, 2048), t.rint(1, 4), true);
    for (int i = 0; i < 40; i++) t.post_tx(3, t.rint(60, 1000), t.rint(1, 3));
    for (int i = 0; i < 100; i++) t.post_rx(0, 2048, t.rint(1, 3));
    for (unsigned q : {1u, 3u, 0u}) { t.publish(t.vq[q]); t.kick(q); }
    t.run(6000);
    for (int i = 0; i < 60; i++) t.send_rx(t.rx_frame(t.rint(60, 1518), 0));
    t.run_until([&] { return t.vq[1].sent >= 8 && t.n_rx_pkt >= 5; }, 60000);
    CHECK(t.vq[1].sent >= 8 && t.n_rx_pkt >= 5, "traffic did not start");
    CHECK(t.qinflight(1) > 0, "queue 1 has nothing in flight to abandon");
    CHECK(t.qinflight(0) > 0 || !t.rxq.empty(), "queue 0 idle before its reset");
    // reset TX queue 1 and RX queue 0 with reads in flight
    t.stop_queue(1);
    t.stop_queue(0);
    uint64_t idle_at[2] = {0, 0};
    bool saw_stop = false, saw_drain = false;
    bool ok = t.run_until([&] {
        for (int k = 0; k < 2; k++) {
            unsigned q = k ? 0 : 1;
            unsigned s = t.qstate(q);
            if (!k) { saw_stop |= s == VN_QSTATE_STOPPING; saw_drain |= s == VN_QSTATE_DRAINING; }
            if (s == VN_QSTATE_IDLE && !idle_at[k]) {
                idle_at[k] = t.cyc;
                CHECK(t.qinflight(q) == 0, "q%u IDLE with %u reads in flight", q, t.qinflight(q));
                CHECK(t.qindices(q) == 0, "q%u IDLE with indices %08x", q, t.qindices(q));
            }
        }
        return idle_at[0] && idle_at[1];
    }, 50000);
    CHECK(ok, "queues did not reach IDLE");
    CHECK(saw_stop && saw_drain, "queue 1 went through STOPPING %d DRAINING %d", saw_stop, saw_drain);
    size_t frames_at_idle = t.txframes.size();
    t.run(8000);
    t.run_until([&] { return t.vq[3].completed == 40; }, 100000);
    VQ &a = t.vq[1], &b = t.vq[0];
    CHECK(!t.writes_after(idle_at[0], a.used, a.used + 6 + 8ull * a.size), "queue 1 written after IDLE");
    CHECK(!t.writes_after(idle_at[1], b.used, b.used + 6 + 8ull * b.size), "queue 0 used ring written after IDLE");
    for (auto &c : b.out)
        for (auto &bf : c.second.bufs)
            CHECK(!t.writes_after(idle_at[1], bf.first, bf.first + bf.second), "queue 0 buffer written after IDLE");
    for (size_t i = frames_at_idle; i < t.txframes.size(); i++)
        CHECK(t.txframes[i][15] != 1, "queue 1 frame started after IDLE");
    for (auto &m : t.msis)
        CHECK(!(m.second == 1 && m.first >= idle_at[0]) && !(m.second == 0 && m.first >= idle_at[1]),
              "interrupt for a reset queue after IDLE");
    CHECK(t.vq[3].completed == 40, "queue 3 disturbed by the reset of queue 1: %u", t.vq[3].completed);
    t.check_exact(1, idle_at[0]);
    t.check_exact(0, idle_at[1]);
    unsigned sent1 = a.sent;
    // and back: new rings, new generation
    t.lat = 250;
    t.setup(1, 128, 1);
    t.settle();
    CHECK(t.qstate(1) == VN_QSTATE_RUNNING, "queue 1 did not restart");
    uint32_t base = t.vq[1].posted;
    for (int i = 0; i < 30; i++) CHECK(t.post_tx(1, t.rint(60, 2048), t.rint(1, 4), true), "post");
    t.publish(t.vq[1]);
    t.kick(1);
    t.run_until([&] { return t.vq[1].completed == 30; }, 100000);
    CHECK(t.vq[1].completed == 30 && t.vq[1].expect.empty(), "restarted queue 1: %u completed", t.vq[1].completed);
    CHECK(t.vq[1].seen == 30, "restarted queue 1 used %u (completed %u, idx %u, indices %08x)", t.vq[1].seen, t.vq[1].completed, t.r16(t.vq[1].used + 2), t.qindices(1));
    std::printf("reset_inflight: TX q1 reset after %u frames, RX q0 reset mid-stream (latency 2500): "
                "no host write after IDLE, restart works (seq %u..)\n", sent1, base);
}

// ---- exact queue reset under load -------------------------------------------------------
namespace {

struct ResetStats {
    std::vector<uint64_t> lat;       // cycles from QC_CMD_RESET to IDLE
    size_t min_reads = SIZE_MAX;     // host reads outstanding when a reset was issued
    unsigned resets = 0, completed = 0, reclaimed = 0, during = 0;
};

// Every queue busy; now and then a TX queue, an RX queue or both are reset at a random
// moment while the others keep going, checked for exactness and restarted.
void reset_exact_run(uint64_t seed, unsigned lat, unsigned rounds, ResetStats &rs)
{
    Tb t(seed);
    t.lat = lat;
    t.jitter = lat / 10;
    t.interleave = true;
    t.strict_rx = false;
    t.tx_ready_p = 0.9;
    t.wr_ready_p = 0.95;
    const uint16_t QS = 256;
    for (unsigned q = 0; q < NQ; q++) t.setup(q, QS, (uint16_t)q);
    t.settle();
    bool resetting[NQ] = {};
    auto feed = [&] {
        for (unsigned q = 0; q < NQ; q++) {
            if (resetting[q]) continue;   // the driver leaves a queue alone while it resets
            VQ &v = t.vq[q];
            bool any = false;
            while (v.out.size() < 96) {
                bool ok = (q & 1) ? t.post_tx(q, t.rint(60, 2048), t.rint(1, 4), t.rnd() < 0.3)
                                  : t.post_rx(q, 2048, t.rint(1, 3));
                if (!ok) break;
                any = true;
            }
            if (any) {
                t.publish(v);
                t.kick(q);
            }
        }
        while (t.rxq.size() < 8) t.send_rx(t.rx_frame(t.rint(60, 1518)), false);
    };
    for (unsigned r = 0; r < rounds; r++) {
        uint64_t until = t.cyc + t.rint(lat, 6 * lat);
        while (t.cyc < until || (t.rds.size() < 32 && t.cyc < until + 20 * lat)) {
            feed();
            t.run(t.rint(1, 40));
        }
        std::vector<unsigned> qs;
        unsigned pick = t.rint(0, 3);
        if (pick != 1) qs.push_back(2 * t.rint(0, QP - 1) + 1);
        if (pick != 2) qs.push_back(2 * t.rint(0, QP - 1));
        CHECK(t.cmds.empty(), "commands pending");
        size_t reads_at = t.rds.size();
        rs.min_reads = std::min(rs.min_reads, reads_at);
        uint64_t t_cmd[NQ] = {}, t_drn[NQ] = {}, t_idle[NQ] = {};
        size_t done_before[NQ] = {};
        for (size_t i = 0; i < qs.size(); i++) {
            unsigned q = qs[i];
            resetting[q] = true;
            t_cmd[q] = t.cyc + i;    // the step that applies it
            done_before[q] = t.vq[q].reaped.size();
            t.stop_queue(q);
        }
        bool ok = t.run_until([&] {
            bool all = true;
            for (unsigned q : qs) {
                unsigned st = t.qstate(q);
                if (!t_drn[q] && t.cyc > t_cmd[q] && st != VN_QSTATE_STOPPING) t_drn[q] = t.cyc;
                if (!t_idle[q] && t.cyc > t_cmd[q] && st == VN_QSTATE_IDLE) t_idle[q] = t.cyc;
                all &= t_idle[q] != 0;
            }
            if (t.cyc % 32 == 0) feed();
            return all;
        }, 200000);
        CHECK(ok, "round %u: reset did not reach IDLE", r);
        if (!ok) return;
        for (unsigned i = 0; i < 400; i += 40) {
            feed();
            t.run(40);
        }
        for (unsigned q : qs) {
            rs.resets++;
            rs.lat.push_back(t_idle[q] - t_cmd[q]);
            if (getenv("VQ_TB_RESETLOG"))
                std::printf("reset q%u: stopping %" PRIu64 ", draining %" PRIu64 " cycles, %zu reads in flight at the command\n",
                            q, t_drn[q] - t_cmd[q], t_idle[q] - t_drn[q], reads_at);
            rs.during += unsigned(t.vq[q].reaped.size() - done_before[q]);
            Tb::Exact e = t.check_exact(q, t_idle[q]);
            rs.completed += e.completed;
            rs.reclaimed += e.reclaimed;
            t.setup(q, QS, (uint16_t)q);
            resetting[q] = false;
        }
        t.settle();   // re-enabled before the driver kicks it again
    }
    // the queues that were never reset are intact: drain them
    for (unsigned q = 0; q < NQ; q++) resetting[q] = true;
    t.run(20 * lat + 20000);
    for (unsigned q = 1; q < NQ; q += 2)
        CHECK(t.vq[q].out.empty() && t.vq[q].expect.empty(),
              "q%u: %zu chains left after the resets (state %u, indices %08x)", q, t.vq[q].out.size(),
              t.qstate(q), t.qindices(q));
}

}  // namespace

void reset_exact()
{
    for (unsigned lat : {250u, 2500u}) {
        ResetStats rs;
        for (unsigned s = 0; s < 3; s++) reset_exact_run(SEED ^ (0x100 * (s + 1)) ^ lat, lat, lat < 1000 ? 16 : 6, rs);
        std::sort(rs.lat.begin(), rs.lat.end());
        uint64_t med = rs.lat.empty() ? 0 : rs.lat[rs.lat.size() / 2];
        uint64_t worst = rs.lat.empty() ? 0 : rs.lat.back();
        std::printf("reset_exact: latency %4u, %u resets under load (>= %zu host reads in flight): exact "
                    "(%u buffers completed, %u of them during the reset, %u untouched); command to IDLE "
                    "median %" PRIu64 ", worst %" PRIu64 " cycles\n",
                    lat, rs.resets, rs.min_reads, rs.completed, rs.during, rs.reclaimed, med, worst);
        if (lat == 250) {
            CHECK(rs.min_reads >= 32, "only %zu reads in flight at a reset", rs.min_reads);
            CHECK(med <= 500, "queue reset median %" PRIu64 " cycles at latency 250", med);
        }
    }
}

void dev_reset()
{
    Tb t(SEED ^ 6);
    t.lat = 1000;
    t.jitter = 300;
    t.interleave = true;
    t.strict_rx = false;
    for (unsigned q = 0; q < NQ; q++) t.setup(q, 128, (uint16_t)q);
    t.settle();
    for (unsigned p = 0; p < QP; p++) {
        for (int i = 0; i < 60; i++) t.post_tx(2 * p + 1, t.rint(60, 2048), t.rint(1, 4));
        for (int i = 0; i < 60; i++) t.post_rx(2 * p, 2048, t.rint(1, 3));
    }
    for (unsigned q = 0; q < NQ; q++) { t.publish(t.vq[q]); t.kick(q); }
    t.run(2500);
    for (int i = 0; i < 200; i++) t.send_rx(t.rx_frame(t.rint(60, 1518)));
    // some buffers completed, others in every stage (frames going out and being written)
    t.run_until([&] { return t.vq[1].seen >= 8 && t.n_rx_pkt >= 8; }, 20000);
    CHECK(!t.d->dev_idle, "device idle under load");
    size_t seen_before = 0;
    for (unsigned q = 0; q < NQ; q++) seen_before += t.vq[q].reaped.size();
    t.dev_reset_next = true;
    uint64_t t0 = t.cyc;
    bool ok = t.run_until([&] { return t.cyc > t0 + 2 && t.d->dev_idle; }, 50000);
    CHECK(ok, "dev_reset did not reach DEV_IDLE");
    uint64_t idle = t.cyc;
    for (unsigned q = 0; q < NQ; q++) {
        CHECK(t.qstate(q) == VN_QSTATE_IDLE, "q%u state %u after dev_reset", q, t.qstate(q));
        CHECK(t.qindices(q) == 0 && t.qinflight(q) == 0, "q%u not cleared", q);
    }
    t.run(6000);
    CHECK(!t.writes_after(idle, 0, UINT64_MAX), "host write after DEV_IDLE");
    for (auto &m : t.msis) CHECK(m.first < idle, "interrupt after DEV_IDLE");
    CHECK(t.d->dev_idle, "device busy again without work");
    unsigned completed = 0, reclaimed = 0;
    for (unsigned q = 0; q < NQ; q++) {
        Tb::Exact e = t.check_exact(q, idle);
        completed += e.completed;
        reclaimed += e.reclaimed;
    }
    // everything comes back
    t.lat = 250;
    t.strict_rx = true;
    t.run_until([&] { return t.rxq.empty(); }, 100000);   // dropped at line rate
    uint64_t drops0 = t.n_rx_drop;
    for (unsigned q = 0; q < NQ; q++) t.setup(q, 64, (uint16_t)q);
    t.settle();
    for (unsigned p = 0; p < QP; p++) {
        for (int i = 0; i < 10; i++) t.post_tx(2 * p + 1, t.rint(60, 2048), t.rint(1, 4));
        for (int i = 0; i < 20; i++) t.post_rx(2 * p, 2048, t.rint(1, 3));
    }
    for (unsigned q = 0; q < NQ; q++) { t.publish(t.vq[q]); t.kick(q); }
    t.run(1500);
    for (int i = 0; i < 40; i++) t.send_rx(t.rx_frame(t.rint(60, 1518)));
    ok = t.run_until([&] {
        for (unsigned p = 0; p < QP; p++)
            if (t.vq[2 * p + 1].completed != 10 || !t.vq[2 * p].rx_expect.empty()) return false;
        return t.rxq.empty();
    }, 100000);
    CHECK(ok, "traffic after dev_reset incomplete");
    CHECK(t.n_rx_drop == drops0, "drops after restart");
    std::printf("dev_reset: all 8 queues busy (latency 1000), DEV_IDLE after %" PRIu64
                " cycles, exact (%u buffers completed, %zu of them during the reset, %u untouched), "
                "silent afterwards, restart works\n",
                idle - t0, completed, completed - seen_before, reclaimed);
}

void errors()
{
    Tb t(SEED ^ 7);
    t.lat = 250;
    t.setup(1, 128, 1);
    t.setup(3, 64, 3);
    t.setup(5, 64, 5);
    t.setup(2, 64, 2);
    t.setup(7, 64, 7);
    t.setup(0, 64, 0);
    t.d->rx_queue_pairs = 2;
    t.settle();
    // q7: avail idx more than the ring ahead
    t.w16(t.vq[7].avail + 2, 64 + 3);
    t.kick(7);
    // q0 (RX): a head that is not a descriptor
    t.w16(t.vq[0].avail + 4, 200);
    t.w16(t.vq[0].avail + 2, 1);
    t.kick(0);
    // q3: an indirect descriptor
    {
        VQ &v = t.vq[3];
        uint16_t di = t.take_desc(v);
        t.write_desc(v, di, t.alloc(64, 64), 64, VN_DESC_F_INDIRECT, 0);
        Chain c;
        c.descs.push_back(di);
        v.out[di] = c;
        t.add_avail(v, di);
        t.publish(v);
        t.kick(3);
    }
    // q5: a chain that loops
    {
        VQ &v = t.vq[5];
        uint16_t a = t.take_desc(v), b = t.take_desc(v);
        t.write_desc(v, a, t.alloc(100, 64), 100, VN_DESC_F_NEXT, b);
        t.write_desc(v, b, t.alloc(100, 64), 100, VN_DESC_F_NEXT, a);
        t.add_avail(v, a);
        t.publish(v);
        t.kick(5);
    }
    // q2 (RX): a device-readable descriptor
    {
        VQ &v = t.vq[2];
        uint16_t a = t.take_desc(v);
        t.write_desc(v, a, t.alloc(2048, 64), 2048, 0, 0);
        t.add_avail(v, a);
        t.publish(v);
        t.kick(2);
    }
    // q1 works meanwhile
    for (int i = 0; i < 20; i++) t.post_tx(1, t.rint(60, 2048), t.rint(1, 4));
    t.publish(t.vq[1]);
    t.kick(1);
    t.run(1000);
    t.send_rx(t.rx_frame(300, 1), false);
    t.send_rx(t.rx_frame(300, 0), false);
    t.run_until([&] { return t.vq[1].completed == 20 && t.qerrs.size() >= 5; }, 50000);
    std::map<unsigned, unsigned> why;
    for (auto &e : t.qerrs) why[std::get<1>(e)] = std::get<2>(e);
    CHECK(t.qerrs.size() == 5, "%zu queue errors", t.qerrs.size());
    CHECK(why.count(7) && why[7] == VN_QERR_AVAIL_JUMP, "q7 reason %u", why[7]);
    CHECK(why.count(0) && why[0] == VN_QERR_DESC_RANGE, "q0 reason %u", why[0]);
    CHECK(why.count(3) && why[3] == VN_QERR_INDIRECT, "q3 reason %u", why[3]);
    CHECK(why.count(5) && why[5] == VN_QERR_CHAIN_LOOP, "q5 reason %u", why[5]);
    CHECK(why.count(2) && why[2] == VN_QERR_RX_READONLY, "q2 reason %u", why[2]);
    for (unsigned q : {0u, 2u, 3u, 5u, 7u}) CHECK(t.qstate(q) == VN_QSTATE_ERROR, "q%u state %u", q, t.qstate(q));
    CHECK(t.vq[1].completed == 20, "q1 disturbed: %u", t.vq[1].completed);
    CHECK(!t.writes_after(0, t.vq[3].used, t.vq[3].used + 6 + 8 * 64), "q3 completed an indirect chain");
    CHECK(!t.writes_after(0, t.vq[5].used, t.vq[5].used + 6 + 8 * 64), "q5 completed a looping chain");
    CHECK(t.n_rx_drop == 2, "RX error frames not counted as drops: %" PRIu64, t.n_rx_drop);
    // doorbells on a queue in ERROR are ignored; RESET leaves it
    t.kick(3);
    t.run(600);
    CHECK(t.qstate(3) == VN_QSTATE_ERROR, "ERROR left without RESET");
    for (unsigned q : {2u, 3u, 5u}) t.stop_queue(q);
    t.run_until([&] { return t.qstate(2) == 0 && t.qstate(3) == 0 && t.qstate(5) == 0; }, 20000);
    for (unsigned q : {2u, 3u, 5u}) CHECK(t.qstate(q) == VN_QSTATE_IDLE, "q%u not IDLE after RESET", q);
    std::printf("errors: indirect, loop, RX read-only, avail jump, head out of range -> QERR with reason, "
                "queue ERROR, others unaffected\n");
}

// INDIRECT_DESC on (DEV_CTRL.INDIRECT): a table inside a table, INDIRECT with NEXT and a
// table length that is not a multiple of 16 stop their queue; a good table beside them
// is walked and completed.
void indirect_errors()
{
    Tb t(SEED ^ 11);
    t.lat = 250;
    t.d->ind_en = 1;
    t.setup(1, 64, 1);
    t.setup(3, 64, 3);
    t.setup(5, 64, 5);
    t.setup(7, 64, 7);
    t.settle();
    auto one = [&](unsigned q, uint64_t addr, uint32_t len, uint16_t flags) {
        VQ &v = t.vq[q];
        uint16_t di = t.take_desc(v);
        t.write_desc(v, di, addr, len, flags, 0);
        Chain c;
        c.descs.push_back(di);
        v.out[di] = c;
        t.add_avail(v, di);
        t.publish(v);
        t.kick(q);
    };
    // q3: the table's one entry is itself indirect
    uint64_t tbl3 = t.alloc(16, 64);
    t.w64(tbl3, t.alloc(64, 64));
    t.w32(tbl3 + 8, 64);
    t.w16(tbl3 + 12, VN_DESC_F_INDIRECT);
    t.w16(tbl3 + 14, 0);
    one(3, tbl3, 16, VN_DESC_F_INDIRECT);
    // q5: INDIRECT together with NEXT
    one(5, t.alloc(32, 64), 32, VN_DESC_F_INDIRECT | VN_DESC_F_NEXT);
    // q7: a table of 24 bytes
    one(7, t.alloc(32, 64), 24, VN_DESC_F_INDIRECT);
    // q1: good tables, beside them
    for (int i = 0; i < 10; i++) t.post_tx(1, t.rint(60, 1500), t.rint(1, 4), false, true);
    t.publish(t.vq[1]);
    t.kick(1);
    t.run_until([&] { return t.qerrs.size() >= 3 && t.vq[1].completed == 10; }, 50000);
    std::map<unsigned, unsigned> why;
    for (auto &e : t.qerrs) why[std::get<1>(e)] = std::get<2>(e);
    CHECK(t.qerrs.size() == 3, "%zu queue errors", t.qerrs.size());
    for (unsigned q : {3u, 5u, 7u}) {
        CHECK(why.count(q) && why[q] == VN_QERR_INDIRECT, "q%u reason %u", q, why[q]);
        CHECK(t.qstate(q) == VN_QSTATE_ERROR, "q%u state %u", q, t.qstate(q));
    }
    CHECK(t.vq[1].completed == 10, "good indirect chains: %u completed", t.vq[1].completed);
    CHECK(t.qstate(1) == VN_QSTATE_RUNNING, "q1 state %u", t.qstate(1));
    std::printf("indirect: nested, with NEXT, bad length -> QERR_INDIRECT; 10 good tables sent and checked\n");
}

void limits()
{
    Tb t(SEED ^ 10);
    t.lat = 250;
    t.setup(1, 128, 1);
    t.setup(0, 64, 0);
    t.d->rx_queue_pairs = 1;
    t.settle();
    // TX: 2048 B and 16 descriptors go out; 2049 B and 17 descriptors are completed unsent
    CHECK(t.post_tx(1, 2048, 3), "post");
    CHECK(t.post_tx(1, 2049, 2), "post");
    CHECK(t.post_tx(1, 300, 16, true), "post");
    CHECK(t.post_tx(1, 300, 17, true), "post");
    CHECK(t.post_tx(1, 60, 1), "post");
    t.publish(t.vq[1]);
    t.kick(1);
    t.run_until([&] { return t.vq[1].completed == 5; }, 20000);
    CHECK(t.vq[1].completed == 5, "TX limits: %u completed", t.vq[1].completed);
    CHECK(t.txframes.size() == 3, "TX limits: %zu frames sent", t.txframes.size());
    CHECK(t.vq[1].expect.size() == 2 && t.vq[1].expect.count(1) && t.vq[1].expect.count(3),
          "TX limits: the wrong frames were dropped");
    // RX: 9 descriptors -> returned empty; over 2048 B -> dropped at the MAC; 2048 B fits
    CHECK(t.post_rx(0, 4096, 9), "post");
    CHECK(t.post_rx(0, 2048 + 12, 1), "post");
    CHECK(t.post_rx(0, 1000, 3), "post");
    t.publish(t.vq[0]);
    t.kick(0);
    t.run(800);
    t.send_rx(t.rx_frame(200));
    t.send_rx(t.rx_frame(2100), false);
    t.send_rx(t.rx_frame(2048));
    t.send_rx(t.rx_frame(900));
    t.run_until([&] { return t.rxq.empty() && t.vq[0].rx_expect.empty(); }, 20000);
    t.run(400);
    CHECK(t.vq[0].rx_expect.empty(), "RX limits: frames missing");
    CHECK(t.vq[0].delivered == 2 && t.vq[0].small == 1, "RX limits: delivered %u, returned empty %u",
          t.vq[0].delivered, t.vq[0].small);
    CHECK(t.n_rx_drop == 2, "RX limits: %" PRIu64 " drops", t.n_rx_drop);
    std::printf("limits: TX 2048 B / 16 descriptors sent, 2049 B / 17 completed unsent; RX 9 descriptors "
                "returned empty, 2100 B dropped, 2048 B delivered\n");
}

// ---- throughput ---------------------------------------------------------------------
namespace {
double line_cycles(unsigned len) { return (len + 20) * 8.0 / 100e9 * 250e6; }
}  // namespace

void perf_tx(unsigned len, unsigned lat)
{
    Tb t(SEED ^ 8);
    t.lat = lat;
    const unsigned per_q = 384;
    for (unsigned p = 0; p < QP; p++) t.setup(2 * p + 1, 512, (uint16_t)(2 * p + 1));
    t.settle();
    for (unsigned p = 0; p < QP; p++) {
        for (unsigned i = 0; i < per_q; i++) t.post_tx(2 * p + 1, len, 1);
        t.publish(t.vq[2 * p + 1]);
    }
    for (unsigned p = 0; p < QP; p++) t.kick(2 * p + 1);
    uint64_t t0 = t.cyc;
    bool ok = t.run_until([&] { return t.txframes.size() == QP * per_q; }, 2000000);
    CHECK(ok, "perf TX %u incomplete", len);
    // steady state: from the 64th frame to the last
    uint64_t c0 = t.txframe_start[64], c1 = t.txframe_start.back();
    double cpp = double(c1 - c0) / double(t.txframe_start.size() - 1 - 64);
    std::printf("perf TX %5u B lat %4u: %6.2f cycles/frame steady (first frame after %" PRIu64
                " cycles), %6.1f Gb/s of frames, line rate needs %5.2f -> %3.0f%% of 100G\n",
                len, lat, cpp, t.txframe_start[0] - t0, len * 8 * 0.25 / cpp, line_cycles(len),
                100.0 * line_cycles(len) / cpp);
}

void perf_rx(unsigned len, unsigned lat)
{
    Tb t(SEED ^ 9);
    t.lat = lat;
    t.strict_rx = false;
    const unsigned N = 1536;
    for (unsigned p = 0; p < QP; p++) t.setup(2 * p, 1024, (uint16_t)(2 * p));
    t.settle();
    for (unsigned p = 0; p < QP; p++) {
        for (unsigned i = 0; i < 1000; i++) t.post_rx(2 * p, 2048, 1);
        t.publish(t.vq[2 * p]);
        t.kick(2 * p);
    }
    t.run(2 * lat + 1000);
    // frames spread over the pairs, back to back
    for (unsigned i = 0; i < N; i++) t.send_rx(t.rx_frame(len, i % QP));
    uint64_t t0 = t.cyc;
    uint64_t first_done = 0;
    std::vector<uint64_t> done_at;
    uint64_t last_pkts = 0;
    bool ok = t.run_until([&] {
        if (t.n_rx_pkt != last_pkts) {
            for (uint64_t k = last_pkts; k < t.n_rx_pkt; k++) done_at.push_back(t.cyc);
            last_pkts = t.n_rx_pkt;
            if (!first_done) first_done = t.cyc;
        }
        return t.n_rx_pkt + t.n_rx_drop >= N;
    }, 2000000);
    CHECK(ok, "perf RX %u incomplete", len);
    CHECK(t.n_rx_drop == 0, "perf RX %u dropped %" PRIu64, len, t.n_rx_drop);
    double cpp = done_at.size() > 128 ? double(done_at.back() - done_at[64]) / double(done_at.size() - 1 - 64) : 0;
    std::printf("perf RX %5u B lat %4u: %6.2f cycles/frame steady (first frame after %" PRIu64
                " cycles), %6.1f Gb/s of frames, line rate needs %5.2f -> %3.0f%% of 100G, MAC stalled %.0f%%\n",
                len, lat, cpp, first_done - t0, len * 8 * 0.25 / cpp, line_cycles(len),
                100.0 * line_cycles(len) / cpp, 100.0 * double(t.rx_stall) / double(t.rx_stall + t.rx_beats));
}

}  // namespace vqtb
