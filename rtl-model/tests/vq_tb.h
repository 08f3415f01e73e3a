// vq_tb.h: the harness of vq_engines_tb (vq_engines on its own against a modeled host).
// Host memory answers the tagged read port after a latency (optionally jittered, with
// beats of different reads interleaved); a driver model (class Tb) builds split and packed
// rings in it, programs the contexts through the ctx_* ports, rings doorbells, streams
// frames into s_axis_rx and checks, byte for byte, what comes out of m_axis_tx and what
// lands in host memory, plus the order of data, used elements, used idx and MSI-X
// requests.  Also the CHECK macro, the seed, and the scenarios' declarations: split rings
// in tb_vq_split.cpp, packed rings in tb_vq_packed.cpp, run in order by tb_vq_engines.cpp.
#ifndef VQ_TB_H
#define VQ_TB_H

#include "Vvq_engines.h"
#include "verilated.h"

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "vionic_regs.h"

namespace vqtb {

inline constexpr unsigned QP = 4;       // the model is Verilated with -GQP=4
inline constexpr unsigned NQ = 2 * QP;
inline constexpr uint64_t MEM_BASE = 0x7f3200000000ull; // IOVAs: nothing like a pointer
inline constexpr size_t MEM_SIZE = 48u << 20;
inline constexpr unsigned HDR = VN_NET_HDR_LEN;
inline uint64_t SEED = 0x5eed2024ull;    // VQ_TB_SEED overrides it (exploration only)

inline int g_failures;                   // failed CHECKs, over all scenarios
#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            if (g_failures < 40) {                                            \
                std::fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
                std::fprintf(stderr, __VA_ARGS__);                            \
                std::fprintf(stderr, "\n");                                   \
            }                                                                 \
            g_failures++;                                                     \
        }                                                                     \
    } while (0)

// the steering function of the architecture (sim/src/flow_hash.c)
inline unsigned flow_pair(const std::vector<uint8_t> &f, unsigned pairs)
{
    uint8_t h = 0;
    if (f.size() >= 38 && f[12] == 0x08 && f[13] == 0x00)
        for (size_t i = 26; i < 38; i++) h ^= f[i];
    return pairs ? h % pairs : 0;
}

struct Chain {
    std::vector<uint16_t> descs;
    std::vector<std::pair<uint64_t, uint32_t>> bufs;   // addr, len
    uint32_t cap = 0;                                  // RX: writable bytes
    bool toolong = false;                              // RX: more descriptors than the device takes
    uint32_t seq = 0;                                  // TX: frame number
    bool unsent = false;                               // TX: over the limits, completed unsent
    // packed: buffer id, ring slots taken, head slot and the driver wrap counter there
    uint16_t id = 0, nslots = 0, slot = 0;
    bool wrap = false;
};

// packed: one used descriptor as the driver found it
struct PkUsed {
    uint64_t cyc;
    uint16_t slot;
    bool wrap;
    uint16_t id, flags;
    uint32_t len;
    uint16_t nslots;     // of the chain it completed (0: none outstanding)
};

struct VQ {
    unsigned q = 0;
    bool on = false;
    uint16_t size = 0, vector = 0;
    uint64_t desc = 0, avail = 0, used = 0;
    uint16_t aidx = 0;        // driver's avail idx
    uint16_t seen = 0;        // used elements processed
    uint32_t elems = 0;       // used element writes observed
    int msi_credit = 0;       // used idx writes not yet followed by an interrupt
    std::vector<uint16_t> freelist;
    std::map<uint16_t, Chain> out;
    std::deque<uint16_t> order;            // heads in avail order
    std::vector<Chain> reaped;             // chains the device completed, in used order
    // TX
    uint32_t next_seq = 0, posted = 0, sent = 0, completed = 0;
    std::map<uint32_t, std::vector<uint8_t>> expect;   // seq -> frame as sent
    // RX
    std::deque<std::vector<uint8_t>> rx_expect;       // frames steered here, in order
    uint32_t delivered = 0, small = 0;
    // packed rings (2.8): desc is the descriptor ring, drv_ev / dev_ev the event areas
    bool pk = false;
    bool lax = false;                 // RX: used elements not checked against frames
    uint64_t drv_ev = 0, dev_ev = 0;
    uint16_t pa_idx = 0, pu_idx = 0;  // driver: next slot to make available / to find used
    bool pa_wrap = true, pu_wrap = true;
    uint16_t nfree = 0;
    std::vector<uint16_t> ids;        // free buffer ids
    std::vector<PkUsed> ulog;         // used descriptors, in the order they were written
    uint32_t uwrites = 0, umax = 0;   // used writes, most descriptors in one
    uint16_t apos() const { return (uint16_t)((pa_wrap ? 0x8000 : 0) | pa_idx); }
    uint16_t upos() const { return (uint16_t)((pu_wrap ? 0x8000 : 0) | pu_idx); }
};

struct Rd {
    uint8_t tag;
    uint64_t addr;
    unsigned len, beat, nbeats;
    uint64_t due;
    std::vector<uint8_t> snap;   // host memory as it was when the read was accepted
};

struct Wr {
    uint64_t cyc, addr;
    unsigned len;
};

class Tb {
  public:
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vvq_engines> d;
    std::mt19937_64 rng;
    uint64_t cyc = 0;
    std::vector<uint8_t> mem;
    uint64_t brk = 0;
    // host model knobs
    unsigned lat = 250, jitter = 0, max_reads = 256;
    bool interleave = false;
    // Reads see host memory as it is when each beat is delivered, or (this probability) as
    // it was when the read was accepted - the vn_model's way, where a driver's write and
    // kick can land while a read that missed it is in flight.
    double snap_p = 0.0;
    double wr_ready_p = 1.0, msi_ready_p = 1.0, tx_ready_p = 1.0, rx_valid_p = 1.0;
    std::vector<Rd> rds;
    int cur_rd = -1;
    bool tag_busy[256] = {};
    // observations
    std::vector<Wr> wrlog;
    std::multimap<uint64_t, size_t> wr_at;   // write address -> wrlog index
    std::vector<Wr> rdlog;                   // reads as issued
    std::multimap<uint64_t, size_t> rd_at;   // read address -> rdlog index
    std::vector<std::pair<uint64_t, unsigned>> msis;
    std::vector<std::vector<uint8_t>> txframes;
    std::vector<uint64_t> txframe_start;
    std::vector<uint8_t> txcur;
    uint64_t txcur_start = 0;
    std::deque<std::vector<uint8_t>> rxq;
    size_t rxoff = 0;
    bool rx_inframe = false;
    uint64_t rx_stall = 0, rx_beats = 0;
    uint64_t n_tx_pkt = 0, n_tx_bytes = 0, n_rx_pkt = 0, n_rx_bytes = 0, n_rx_drop = 0;
    std::vector<std::tuple<uint64_t, unsigned, unsigned>> qerrs;
    uint64_t last_wr_cyc = 0;
    // one-cycle inputs
    struct Cmd { unsigned cmd, q, size, vector; uint64_t desc, drv, dev; unsigned base; };
    std::deque<Cmd> cmds;
    std::deque<unsigned> dbs;
    bool dev_reset_next = false;
    VQ vq[NQ];
    bool strict_rx = true;      // every RX used element is checked against rx_expect
    // a read's latency by address and length (directed tests: completions out of order)
    std::function<uint64_t(uint64_t, unsigned)> lat_fn;
    std::vector<std::pair<uint64_t, uint16_t>> deferred;   // packed heads whose flags wait
    double squeeze = 1.0;       // VQ_TB_SQUEEZE < 1 makes every ready rarer (exploration)

    explicit Tb(uint64_t seed) : ctx(new VerilatedContext), rng(seed), mem(MEM_SIZE, 0)
    {
        ctx->randReset(0);
        d.reset(new Vvq_engines(ctx.get()));
        d->clk = 0;
        d->rst_n = 0;
        d->datapath_en = 0;
        d->rx_queue_pairs = QP;
        for (int i = 0; i < 4; i++) tick_raw();
        d->rst_n = 1;
        for (int i = 0; i < 4 * (int)QP; i++) tick_raw();
        d->datapath_en = 1;
        for (unsigned q = 0; q < NQ; q++) vq[q].q = q;
        if (const char *e = std::getenv("VQ_TB_SQUEEZE")) squeeze = std::atof(e);
        if (const char *e = std::getenv("VQ_TB_SNAP")) snap_p = std::atof(e);
    }
    ~Tb() { d->final(); }

    double rnd() { return std::uniform_real_distribution<double>(0, 1)(rng); }
    unsigned rint(unsigned lo, unsigned hi) { return std::uniform_int_distribution<unsigned>(lo, hi)(rng); }

    // ---- host memory --------------------------------------------------------------
    bool in_mem(uint64_t a, uint64_t len) const
    {
        return a >= MEM_BASE && len <= MEM_SIZE && a - MEM_BASE <= MEM_SIZE - len;
    }
    uint8_t *at(uint64_t a) { return &mem[a - MEM_BASE]; }
    uint64_t alloc(uint64_t len, uint64_t align, uint64_t skew = 0)
    {
        brk = (brk + align - 1) / align * align + skew;
        uint64_t a = MEM_BASE + brk;
        brk += len;
        if (brk > MEM_SIZE) { std::fprintf(stderr, "host memory exhausted\n"); std::exit(2); }
        return a;
    }
    void w16(uint64_t a, uint16_t v) { at(a)[0] = v & 0xff; at(a)[1] = v >> 8; }
    void w32(uint64_t a, uint32_t v) { for (int i = 0; i < 4; i++) at(a)[i] = (v >> 8 * i) & 0xff; }
    void w64(uint64_t a, uint64_t v) { for (int i = 0; i < 8; i++) at(a)[i] = (v >> 8 * i) & 0xff; }
    uint16_t r16(uint64_t a) { return at(a)[0] | at(a)[1] << 8; }
    uint32_t r32(uint64_t a) { uint32_t v = 0; for (int i = 3; i >= 0; i--) v = v << 8 | at(a)[i]; return v; }
    uint64_t r64(uint64_t a) { return r32(a) | (uint64_t)r32(a + 4) << 32; }

    // ---- one clock --------------------------------------------------------------------
    void tick_raw()
    {
        d->clk = 0;
        d->eval();
        d->clk = 1;
        d->eval();
        cyc++;
    }

    void step()
    {
        // inputs for this cycle
        d->rd_req_ready = rds.size() < max_reads;
        d->rd_cpl_valid = 0;
        if (cur_rd < 0 || interleave) {
            cur_rd = -1;
            uint64_t best = UINT64_MAX;
            std::vector<int> ready;
            for (size_t i = 0; i < rds.size(); i++)
                if (rds[i].due <= cyc) {
                    ready.push_back((int)i);
                    if (rds[i].due < best) { best = rds[i].due; if (!interleave) cur_rd = (int)i; }
                }
            if (interleave && !ready.empty()) cur_rd = ready[rint(0, (unsigned)ready.size() - 1)];
        }
        if (cur_rd >= 0) {
            Rd &r = rds[cur_rd];
            d->rd_cpl_valid = 1;
            d->rd_cpl_tag = r.tag;
            d->rd_cpl_last = r.beat + 1 == r.nbeats;
            for (int w = 0; w < 16; w++) {
                uint32_t v = 0;
                for (int b = 3; b >= 0; b--) {
                    uint64_t a = r.addr + 64ull * r.beat + 4 * w + b;
                    uint64_t off = 64ull * r.beat + 4 * w + b;
                    uint8_t byte = 0;
                    if (off < r.len && in_mem(a, 1)) byte = r.snap.empty() ? *at(a) : r.snap[off];
                    v = v << 8 | byte;
                }
                d->rd_cpl_data[w] = v;
            }
        }
        d->wr_ready = rnd() < wr_ready_p * squeeze;
        d->msi_ready = rnd() < msi_ready_p * squeeze;
        d->m_axis_tx_tready = rnd() < tx_ready_p * squeeze;
        if (rnd() > squeeze) d->rd_req_ready = 0;
        d->s_axis_rx_tvalid = 0;
        if (!rxq.empty() && (rx_inframe || rnd() < rx_valid_p)) {
            const std::vector<uint8_t> &f = rxq.front();
            size_t n = std::min<size_t>(64, f.size() - rxoff);
            d->s_axis_rx_tvalid = 1;
            d->s_axis_rx_tlast = rxoff + n == f.size();
            d->s_axis_rx_tkeep = n == 64 ? ~0ull : ((1ull << n) - 1);
            for (int w = 0; w < 16; w++) {
                uint32_t v = 0;
                for (int b = 3; b >= 0; b--) {
                    size_t i = rxoff + 4 * w + b;
                    v = v << 8 | (i < rxoff + n ? f[i] : 0xee);
                }
                d->s_axis_rx_tdata[w] = v;
            }
        }
        d->db_valid = 0;
        if (!dbs.empty()) {
            d->db_valid = 1; d->db_queue = dbs.front(); dbs.pop_front();
            if (getenv("TB_TRACE"))
                std::printf("%" PRIu64 " kick q%u (driver avail %04x used %04x; device %08x)\n", cyc, (unsigned)d->db_queue,
                            d->db_queue < NQ ? vq[d->db_queue].apos() : 0, d->db_queue < NQ ? vq[d->db_queue].upos() : 0,
                            qindices(d->db_queue));
        }
        d->ctx_cmd_valid = 0;
        if (!cmds.empty()) {
            const Cmd &c = cmds.front();
            d->ctx_cmd_valid = 1;
            d->ctx_cmd = c.cmd;
            d->ctx_q = c.q;
            d->ctx_size = c.size;
            d->ctx_vector = c.vector;
            d->ctx_desc = c.desc;
            d->ctx_driver = c.drv;
            d->ctx_device = c.dev;
            d->ctx_base = c.base;
            cmds.pop_front();
        }
        d->dev_reset = dev_reset_next;
        dev_reset_next = false;

        d->clk = 0;
        d->eval();

        // what happened in this cycle
        if (d->rd_req_valid && d->rd_req_ready) {
            Rd r{(uint8_t)d->rd_req_tag, d->rd_req_addr, d->rd_req_len, 0, 0, 0, {}};
            CHECK(r.len >= 1 && r.len <= 4096, "read length %u", r.len);
            CHECK(in_mem(r.addr, r.len), "read outside host memory: 0x%" PRIx64 "+%u", r.addr, r.len);
            CHECK(!tag_busy[r.tag], "tag %u reused while outstanding", r.tag);
            tag_busy[r.tag] = true;
            rd_at.emplace(r.addr, rdlog.size());
            rdlog.push_back({cyc, r.addr, r.len});
            r.nbeats = (r.len + 63) / 64;
            r.due = cyc + lat + (jitter ? rint(0, jitter) : 0);
            if (lat_fn) r.due = cyc + lat_fn(r.addr, r.len);
            if (snap_p > 0 && rnd() < snap_p && in_mem(r.addr, r.len)) r.snap.assign(at(r.addr), at(r.addr) + r.len);
            if (getenv("TB_TRACE")) std::printf("%" PRIu64 " rd %" PRIx64 " %u due %" PRIu64 "\n", cyc, r.addr, r.len, r.due);
            rds.push_back(r);
        }
        if (cur_rd >= 0) {
            Rd &r = rds[cur_rd];
            if (++r.beat == r.nbeats) {
                tag_busy[r.tag] = false;
                rds.erase(rds.begin() + cur_rd);
                cur_rd = -1;
            }
        }
        if (d->wr_valid && d->wr_ready) on_write();
        if (d->msi_valid && d->msi_ready) on_msi(d->msi_vector);
        if (d->m_axis_tx_tvalid && d->m_axis_tx_tready) {
            uint64_t keep = d->m_axis_tx_tkeep;
            unsigned n = 0;
            while (n < 64 && (keep >> n & 1)) n++;
            CHECK(n == 64 || (keep >> n) == 0, "tkeep not contiguous: %016" PRIx64, keep);
            CHECK(n == 64 || d->m_axis_tx_tlast, "partial beat before tlast");
            CHECK(n > 0, "empty beat");
            if (txcur.empty()) txcur_start = cyc;
            for (unsigned i = 0; i < n; i++) txcur.push_back(d->m_axis_tx_tdata[i / 4] >> 8 * (i % 4) & 0xff);
            if (d->m_axis_tx_tlast) {
                on_tx_frame(txcur);
                txframes.push_back(txcur);
                txframe_start.push_back(txcur_start);
                txcur.clear();
            }
        }
        if (d->s_axis_rx_tvalid) {
            if (d->s_axis_rx_tready) {
                rx_beats++;
                size_t n = std::min<size_t>(64, rxq.front().size() - rxoff);
                rxoff += n;
                rx_inframe = true;
                if (rxoff == rxq.front().size()) { rxq.pop_front(); rxoff = 0; rx_inframe = false; }
            } else {
                rx_stall++;
            }
        }
        if (d->cnt_tx_pkt) { n_tx_pkt++; n_tx_bytes += d->cnt_tx_bytes; }
        if (d->cnt_rx_pkt) { n_rx_pkt++; n_rx_bytes += d->cnt_rx_bytes; }
        if (d->cnt_rx_drop) n_rx_drop++;
        if (d->qerr_valid) qerrs.emplace_back(cyc, d->qerr_queue, d->qerr_reason);

        d->clk = 1;
        d->eval();
        cyc++;
    }

    void run(uint64_t n) { for (uint64_t i = 0; i < n; i++) step(); }
    // commands and doorbells queued so far have reached the device
    void settle() { while (!cmds.empty() || !dbs.empty()) step(); run(2); }
    bool run_until(const std::function<bool()> &done, uint64_t limit)
    {
        for (uint64_t i = 0; i < limit; i++) {
            if (done()) return true;
            step();
        }
        return done();
    }

    // ---- context read-back (combinational port) --------------------------------
    unsigned qstate(unsigned q) { d->ctx_rd_q = q; d->eval(); return d->ctx_rd_state; }
    unsigned qinflight(unsigned q) { d->ctx_rd_q = q; d->eval(); return d->ctx_rd_inflight; }
    uint32_t qindices(unsigned q) { d->ctx_rd_q = q; d->eval(); return d->ctx_rd_indices; }

    // ---- writes: host memory, then what a driver would see right now -------------
    void on_write()
    {
        uint64_t a = d->wr_addr;
        unsigned len = d->wr_len;
        CHECK(len >= 1 && len <= 64, "write length %u", len);
        CHECK(in_mem(a, len), "write outside host memory: 0x%" PRIx64 "+%u", a, len);
        if (!in_mem(a, len)) return;
        for (unsigned i = 0; i < len; i++) *at(a + i) = d->wr_data[i / 4] >> 8 * (i % 4) & 0xff;
        wr_at.emplace(a, wrlog.size());
        wrlog.push_back({cyc, a, len});
        if (getenv("TB_TRACE")) std::printf("%" PRIu64 " wr %" PRIx64 " %u\n", cyc, a, len);
        last_wr_cyc = cyc;
        for (VQ &v : vq) {
            if (!v.on) continue;
            if (v.pk) {
                on_write_pk(v, a, len);
                continue;
            }
            if (a >= v.used + 4 && a < v.used + 4 + 8ull * v.size) {
                CHECK(len % 8 == 0 && (a - v.used - 4) % 8 == 0, "q%u: odd used element write", v.q);
                CHECK((a - v.used - 4) / 8 == (v.elems % v.size), "q%u: used element out of place", v.q);
                CHECK(a + len <= v.used + 4 + 8ull * v.size, "q%u: used write past the ring", v.q);
                v.elems += len / 8;
            } else if (a == v.used + 2) {
                CHECK(len == 2, "q%u: used idx write of %u bytes", v.q, len);
                uint16_t idx = r16(a);
                CHECK(idx == (uint16_t)v.elems, "q%u: used idx %u published with %u elements written",
                      v.q, idx, v.elems);
                v.msi_credit++;
                if (getenv("TB_TRACE")) std::printf("%" PRIu64 " q%u idx %u\n", cyc, v.q, idx);
                reap(v, idx);
            }
        }
    }

    void on_msi(unsigned vec)
    {
        if (getenv("TB_TRACE")) std::printf("%" PRIu64 " msi %u\n", cyc, vec);
        msis.emplace_back(cyc, vec);
        for (VQ &v : vq)
            if (v.on && v.vector == vec) {
                CHECK(v.msi_credit > 0, "q%u: MSI-X at %" PRIu64 " without a used idx write before it", v.q, cyc);
                v.msi_credit--;
            }
    }

    // the driver looks at its used ring the moment the device publishes
    void reap(VQ &v, uint16_t idx)
    {
        while (v.seen != idx) {
            uint64_t e = v.used + 4 + 8ull * (v.seen % v.size);
            uint16_t id = (uint16_t)r32(e);
            uint32_t len = r32(e + 4);
            v.seen++;
            auto it = v.out.find(id);
            CHECK(it != v.out.end(), "q%u: used id %u not outstanding", v.q, id);
            if (it == v.out.end()) continue;
            Chain c = it->second;
            v.out.erase(it);
            v.reaped.push_back(c);
            if (v.q & 1) {
                CHECK(len == 0, "q%u: TX used len %u", v.q, len);
                // the last beat may still wait for tready: completion can come first
                v.completed++;
            } else {
                CHECK(!v.order.empty() && v.order.front() == id, "q%u: RX chain %u used out of order", v.q, id);
                if (!v.order.empty()) v.order.pop_front();
                if (strict_rx) check_rx(v, c, len);
            }
            for (uint16_t di : c.descs) v.freelist.push_back(di);
        }
    }

    void check_rx(VQ &v, const Chain &c, uint32_t len)
    {
        CHECK(!v.rx_expect.empty(), "q%u: used element without a frame", v.q);
        if (v.rx_expect.empty()) return;
        std::vector<uint8_t> f = v.rx_expect.front();
        v.rx_expect.pop_front();
        if (c.cap < HDR + f.size() || c.toolong) {
            CHECK(len == 0, "q%u: small chain (%u) got len %u for %zu bytes", v.q, c.cap, len, f.size());
            v.small++;
            return;
        }
        CHECK(len == HDR + f.size(), "q%u: used len %u, frame %zu", v.q, len, f.size());
        std::vector<uint8_t> want(HDR, 0);
        want[10] = 1;
        want.insert(want.end(), f.begin(), f.end());
        size_t k = 0;
        bool same = true;
        for (auto &b : c.bufs)
            for (uint32_t i = 0; i < b.second && k < want.size(); i++, k++)
                if (*at(b.first + i) != want[k]) same = false;
        CHECK(same && k == want.size(), "q%u: RX frame of %zu bytes differs in host memory", v.q, f.size());
        v.delivered++;
    }

    void on_tx_frame(const std::vector<uint8_t> &f)
    {
        CHECK(f.size() >= 20 && f[14] == 0xa5, "MAC frame without a tag (%zu bytes)", f.size());
        if (f.size() < 20 || f[14] != 0xa5) return;
        unsigned q = f[15];
        uint32_t seq = f[16] | f[17] << 8 | f[18] << 16 | (uint32_t)f[19] << 24;
        CHECK(q < NQ && (q & 1), "MAC frame for queue %u", q);
        if (q >= NQ) return;
        VQ &v = vq[q];
        auto it = v.expect.find(seq);
        CHECK(it != v.expect.end(), "q%u: unexpected frame seq %u", q, seq);
        if (it == v.expect.end()) return;
        CHECK(seq >= v.sent, "q%u: seq %u after %u", q, seq, v.sent);
        CHECK(it->second == f, "q%u: frame seq %u (%zu bytes) differs from what was posted", q, seq, f.size());
        v.sent = seq + 1;
        v.expect.erase(it);
    }

    // ---- driver side ---------------------------------------------------------------
    void setup(unsigned q, uint16_t size, uint16_t vector, uint16_t avail_flags = 0)
    {
        VQ &v = vq[q];
        uint32_t keep_posted = v.posted;
        v = VQ();
        v.q = q;
        v.posted = keep_posted;
        v.next_seq = keep_posted;
        v.sent = keep_posted;
        v.size = size;
        v.vector = vector;
        v.desc = alloc(16ull * size, 16);
        v.avail = alloc(6 + 2ull * size, 2);
        v.used = alloc(6 + 8ull * size, 4);
        std::memset(at(v.desc), 0x5a, 16ull * size);
        std::memset(at(v.avail), 0, 6 + 2ull * size);
        std::memset(at(v.used), 0, 6 + 8ull * size);
        std::memset(at(v.used + 4), 0xff, 8ull * size);
        w16(v.avail, avail_flags);
        for (unsigned i = 0; i < size; i++) v.freelist.push_back((uint16_t)i);
        std::shuffle(v.freelist.begin(), v.freelist.end(), rng);
        v.on = true;
        cmds.push_back({VN_QC_CMD_START, q, size, vector, v.desc, v.avail, v.used, 0});
    }

    uint16_t take_desc(VQ &v)
    {
        // mostly the most recently freed one (as drivers do), sometimes any
        size_t i = rnd() < 0.7 ? v.freelist.size() - 1 : rint(0, (unsigned)v.freelist.size() - 1);
        uint16_t di = v.freelist[i];
        v.freelist[i] = v.freelist.back();
        v.freelist.pop_back();
        return di;
    }

    void write_desc(VQ &v, uint16_t di, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
    {
        uint64_t a = v.desc + 16ull * di;
        w64(a, addr);
        w32(a + 8, len);
        w16(a + 12, flags);
        w16(a + 14, next);
    }

    void add_avail(VQ &v, uint16_t head)
    {
        w16(v.avail + 4 + 2ull * (v.aidx % v.size), head);
        v.aidx++;
        v.order.push_back(head);
    }
    void publish(VQ &v) { w16(v.avail + 2, v.aidx); }
    void kick(unsigned q) { dbs.push_back(q); }

    // a TX frame of `len` bytes after a random virtio-net header, cut into `nseg` pieces
    // indirect: the chain moves into a table that one ring descriptor points at
    bool post_tx(unsigned q, unsigned len, unsigned nseg, bool hdr_cut = false, bool indirect = false)
    {
        VQ &v = vq[q];
        if (v.freelist.size() < nseg) return false;
        std::vector<uint8_t> all(HDR + len);
        for (auto &b : all) b = (uint8_t)rng();
        uint32_t seq = v.next_seq++;
        uint8_t *f = &all[HDR];
        f[14] = 0xa5;
        f[15] = (uint8_t)q;
        f[16] = seq & 0xff; f[17] = seq >> 8 & 0xff; f[18] = seq >> 16 & 0xff; f[19] = seq >> 24;
        std::vector<unsigned> cuts;
        if (hdr_cut && nseg > 1) cuts.push_back(rint(1, HDR));
        while (cuts.size() + 1 < nseg) {
            unsigned c = rint(1, (unsigned)all.size() - 1);
            bool dup = false;
            for (unsigned x : cuts) dup |= x == c;
            if (!dup) cuts.push_back(c);
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.push_back((unsigned)all.size());
        Chain c;
        c.seq = seq;
        c.unsent = len > 2048 || cuts.size() > 16;
        unsigned from = 0;
        for (unsigned i = 0; i < cuts.size(); i++) c.descs.push_back(take_desc(v));
        for (unsigned i = 0; i < cuts.size(); i++) {
            unsigned n = cuts[i] - from;
            uint64_t a = alloc(n, 64, rint(0, 63));
            std::memcpy(at(a), &all[from], n);
            bool last = i + 1 == cuts.size();
            write_desc(v, c.descs[i], a, n, last ? 0 : VN_DESC_F_NEXT, last ? 0x7777 : c.descs[i + 1]);
            c.bufs.emplace_back(a, n);
            from = cuts[i];
        }
        if (indirect) {
            uint64_t tbl = alloc(16 * c.descs.size(), 16);
            for (unsigned i = 0; i < c.descs.size(); i++) {
                std::memcpy(at(tbl + 16 * i), at(v.desc + 16ull * c.descs[i]), 16);
                if (i + 1 < c.descs.size()) w16(tbl + 16 * i + 14, (uint16_t)(i + 1));
            }
            write_desc(v, c.descs[0], tbl, (uint32_t)(16 * c.descs.size()), VN_DESC_F_INDIRECT, 0);
        }
        v.out[c.descs[0]] = c;
        add_avail(v, c.descs[0]);
        v.expect[seq] = std::vector<uint8_t>(all.begin() + HDR, all.end());
        v.posted++;
        return true;
    }

    // an RX chain of `nseg` writable buffers totalling `cap` bytes
    bool post_rx(unsigned q, uint32_t cap, unsigned nseg)
    {
        VQ &v = vq[q];
        if (v.freelist.size() < nseg || nseg == 0 || cap < nseg) return false;
        std::vector<uint32_t> lens;
        uint32_t left = cap;
        for (unsigned i = 0; i + 1 < nseg; i++) {
            uint32_t n = rint(1, std::max(1u, left - (nseg - 1 - i)) / 2 + 1);
            lens.push_back(n);
            left -= n;
        }
        lens.push_back(left);
        Chain c;
        c.cap = cap;
        c.toolong = nseg > 8;
        for (unsigned i = 0; i < nseg; i++) c.descs.push_back(take_desc(v));
        for (unsigned i = 0; i < nseg; i++) {
            uint64_t a = alloc(lens[i], 64, rint(0, 63));
            std::memset(at(a), 0xcc, lens[i]);
            bool last = i + 1 == nseg;
            write_desc(v, c.descs[i], a, lens[i], VN_DESC_F_WRITE | (last ? 0 : VN_DESC_F_NEXT),
                       last ? 0 : c.descs[i + 1]);
            c.bufs.emplace_back(a, lens[i]);
        }
        v.out[c.descs[0]] = c;
        add_avail(v, c.descs[0]);
        return true;
    }

    std::vector<uint8_t> rx_frame(unsigned len, unsigned want_pair = ~0u, bool ipv4 = true)
    {
        for (;;) {
            std::vector<uint8_t> f(len);
            for (auto &b : f) b = (uint8_t)rng();
            if (ipv4) { f[12] = 0x08; f[13] = 0x00; } else { f[12] = 0x86; f[13] = 0xdd; }
            if (want_pair == ~0u || flow_pair(f, d->rx_queue_pairs) == want_pair) return f;
        }
    }
    // the frame goes to the MAC input; its expected queue is noted unless it will be dropped
    void send_rx(const std::vector<uint8_t> &f, bool expect_delivery = true)
    {
        unsigned q = 2 * flow_pair(f, d->rx_queue_pairs);
        if (expect_delivery) vq[q].rx_expect.push_back(f);
        rxq.push_back(f);
    }

    void stop_queue(unsigned q)
    {
        cmds.push_back({VN_QC_CMD_RESET, q, 0, 0, 0, 0, 0, 0});
    }

    // ---- packed rings (2.8): the driver side ----------------------------------------
    // A packed queue: a zeroed descriptor ring (flags 0: nothing available against wrap
    // counter 1), the driver event area (off_wrap, flags) and the device's (which the
    // device leaves alone).  Buffer ids come from [size, 2*size): never a slot number.
    // reuse: the same memory, zeroed again, as a driver does on a queue reset.
    void setup_pk(unsigned q, uint16_t size, uint16_t vector, uint16_t ev_flags = VN_EVENT_F_ENABLE,
                  uint16_t off_wrap = 0, bool reuse = false)
    {
        VQ &v = vq[q];
        uint32_t keep_posted = v.posted;
        uint64_t desc = v.desc, drv = v.drv_ev, dev = v.dev_ev;
        bool lax = v.lax;
        v = VQ();
        v.q = q;
        v.posted = keep_posted;
        v.next_seq = keep_posted;
        v.sent = keep_posted;
        v.size = size;
        v.vector = vector;
        v.pk = true;
        v.lax = lax;
        if (!reuse) {
            desc = alloc(16ull * size, 16);
            drv = alloc(4, 4);
            dev = alloc(4, 4);
        }
        v.desc = desc;
        v.drv_ev = drv;
        v.dev_ev = dev;
        std::memset(at(v.desc), 0, 16ull * size);
        std::memset(at(v.dev_ev), 0, 4);
        set_events(v, ev_flags, off_wrap);
        for (unsigned i = 0; i < size; i++) v.ids.push_back((uint16_t)(size + i));
        std::shuffle(v.ids.begin(), v.ids.end(), rng);
        v.nfree = size;
        v.on = true;
        cmds.push_back({VN_QC_CMD_START, q, size, vector, v.desc, v.drv_ev, v.dev_ev, VN_PACKED_BASE_START});
    }

    void set_events(VQ &v, uint16_t flags, uint16_t off_wrap)
    {
        w16(v.drv_ev, off_wrap);
        w16(v.drv_ev + 2, flags);
    }

    struct PDesc { uint64_t addr; uint32_t len; uint16_t flags; };

    // the chain goes into the slots from the driver's avail position; every slot gets
    // the AVAIL/USED bits of the wrap counter there, the last one the buffer id (the
    // others junk), and the head's flags are written last - or left for release_heads()
    void pk_place(VQ &v, const std::vector<PDesc> &ds, Chain &c, bool defer)
    {
        size_t k = rint(0, (unsigned)v.ids.size() - 1);
        uint16_t id = v.ids[k];
        v.ids[k] = v.ids.back();
        v.ids.pop_back();
        c.id = id;
        c.nslots = (uint16_t)ds.size();
        c.slot = v.pa_idx;
        c.wrap = v.pa_wrap;
        uint64_t head = 0;
        uint16_t hflags = 0;
        for (size_t i = 0; i < ds.size(); i++) {
            bool last = i + 1 == ds.size();
            uint16_t fl = (uint16_t)(ds[i].flags | (last ? 0 : VN_DESC_F_NEXT) |
                                     (v.pa_wrap ? VN_PDESC_F_AVAIL : VN_PDESC_F_USED));
            uint64_t a = v.desc + 16ull * v.pa_idx;
            w64(a, ds[i].addr);
            w32(a + 8, ds[i].len);
            w16(a + 12, last ? id : (uint16_t)(0xbad0 + i));
            if (i == 0) { head = a; hflags = fl; }
            else w16(a + 14, fl);
            if (++v.pa_idx == v.size) { v.pa_idx = 0; v.pa_wrap = !v.pa_wrap; }
        }
        v.nfree = (uint16_t)(v.nfree - ds.size());
        if (defer) deferred.emplace_back(head, hflags);
        else w16(head + 14, hflags);
        v.out[id] = c;
        v.order.push_back(id);
    }
    void release_heads()
    {
        for (auto &h : deferred) w16(h.first + 14, h.second);
        deferred.clear();
    }

    // a TX frame as post_tx builds it; indirect: one ring slot pointing at a table whose
    // entries carry junk NEXT / INDIRECT flags (ignored in a packed table)
    bool post_tx_pk(unsigned q, unsigned len, unsigned nseg, bool indirect = false, bool defer = false)
    {
        VQ &v = vq[q];
        if (v.nfree < (indirect ? 1u : nseg) || v.ids.empty() || nseg == 0) return false;
        std::vector<uint8_t> all(HDR + len);
        for (auto &b : all) b = (uint8_t)rng();
        uint32_t seq = v.next_seq++;
        uint8_t *f = &all[HDR];
        f[14] = 0xa5;
        f[15] = (uint8_t)q;
        f[16] = seq & 0xff; f[17] = seq >> 8 & 0xff; f[18] = seq >> 16 & 0xff; f[19] = seq >> 24;
        std::vector<unsigned> cuts;
        while (cuts.size() + 1 < nseg) {
            unsigned c = rint(1, (unsigned)all.size() - 1);
            bool dup = false;
            for (unsigned x : cuts) dup |= x == c;
            if (!dup) cuts.push_back(c);
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.push_back((unsigned)all.size());
        Chain c;
        c.seq = seq;
        c.unsent = len > 2048 || cuts.size() > 16;
        std::vector<PDesc> ds;
        unsigned from = 0;
        for (unsigned cut : cuts) {
            unsigned n = cut - from;
            uint64_t a = alloc(n, 64, rint(0, 63));
            std::memcpy(at(a), &all[from], n);
            ds.push_back({a, n, 0});
            c.bufs.emplace_back(a, n);
            from = cut;
        }
        if (indirect) {
            uint64_t tbl = alloc(16 * ds.size(), 16);
            for (size_t i = 0; i < ds.size(); i++) {
                w64(tbl + 16 * i, ds[i].addr);
                w32(tbl + 16 * i + 8, ds[i].len);
                w16(tbl + 16 * i + 12, 0x7777);
                uint16_t junk = rnd() < 0.5 ? VN_DESC_F_NEXT : 0;
                if (rnd() < 0.2) junk |= VN_DESC_F_INDIRECT;
                w16(tbl + 16 * i + 14, junk);
            }
            ds = {{tbl, (uint32_t)(16 * ds.size()), VN_DESC_F_INDIRECT}};
        }
        pk_place(v, ds, c, defer);
        v.expect[seq] = std::vector<uint8_t>(all.begin() + HDR, all.end());
        v.posted++;
        return true;
    }

    // an RX chain of `nseg` writable buffers totalling `cap` bytes, in the ring or a table
    bool post_rx_pk(unsigned q, uint32_t cap, unsigned nseg, bool indirect = false, bool defer = false)
    {
        VQ &v = vq[q];
        if (v.nfree < (indirect ? 1u : nseg) || v.ids.empty() || nseg == 0 || cap < nseg) return false;
        std::vector<uint32_t> lens;
        uint32_t left = cap;
        for (unsigned i = 0; i + 1 < nseg; i++) {
            uint32_t n = rint(1, std::max(1u, left - (nseg - 1 - i)) / 2 + 1);
            lens.push_back(n);
            left -= n;
        }
        lens.push_back(left);
        Chain c;
        c.cap = cap;
        c.toolong = nseg > 8;
        std::vector<PDesc> ds;
        for (unsigned i = 0; i < nseg; i++) {
            uint64_t a = alloc(lens[i], 64, rint(0, 63));
            std::memset(at(a), 0xcc, lens[i]);
            ds.push_back({a, lens[i], VN_DESC_F_WRITE});
            c.bufs.emplace_back(a, lens[i]);
        }
        if (indirect) {
            uint64_t tbl = alloc(16 * ds.size(), 16);
            for (size_t i = 0; i < ds.size(); i++) {
                w64(tbl + 16 * i, ds[i].addr);
                w32(tbl + 16 * i + 8, ds[i].len);
                w16(tbl + 16 * i + 12, 0x7777);
                w16(tbl + 16 * i + 14, (uint16_t)(VN_DESC_F_WRITE | (rnd() < 0.5 ? VN_DESC_F_NEXT : 0)));
            }
            ds = {{tbl, (uint32_t)(16 * ds.size()), VN_DESC_F_INDIRECT}};
        }
        pk_place(v, ds, c, defer);
        return true;
    }

    // a device write: used descriptors in the ring, nothing anywhere else of the queue's
    void on_write_pk(VQ &v, uint64_t a, unsigned len)
    {
        uint64_t end = v.desc + 16ull * v.size;
        if (a + len > v.desc && a < end) {
            bool ok = a >= v.desc && (a - v.desc) % 16 == 0 && len % 16 == 0 && a + len <= end;
            CHECK(ok, "q%u: ring write 0x%" PRIx64 "+%u is not whole descriptors inside the ring", v.q, a, len);
            if (!ok) return;
            v.msi_credit++;
            v.uwrites++;
            v.umax = std::max(v.umax, len / 16);
            for (unsigned k = 0; k < len / 16; k++) reap_pk(v, (uint16_t)((a - v.desc) / 16 + k));
            return;
        }
        CHECK(!(a + len > v.drv_ev && a < v.drv_ev + 4), "q%u: driver event area written", v.q);
        CHECK(!(a + len > v.dev_ev && a < v.dev_ev + 4), "q%u: device event area written", v.q);
    }

    // the driver finds the used descriptor at its used position (AVAIL = USED = its used
    // wrap counter) and moves on by the chain's slots
    void reap_pk(VQ &v, uint16_t slot)
    {
        uint64_t e = v.desc + 16ull * slot;
        uint64_t addr = r64(e);
        uint32_t len = r32(e + 8);
        uint16_t id = r16(e + 12), fl = r16(e + 14);
        if (getenv("TB_TRACE"))
            std::printf("%" PRIu64 " q%u used slot %u id %u len %u flags %04x\n", cyc, v.q, slot, id, len, fl);
        CHECK(slot == v.pu_idx, "q%u: used descriptor (id %u) at slot %u, the driver's used position is %u",
              v.q, id, slot, v.pu_idx);
        v.pu_idx = slot;
        uint16_t want = (uint16_t)((v.pu_wrap ? VN_PDESC_F_AVAIL | VN_PDESC_F_USED : 0) | (len ? VN_DESC_F_WRITE : 0));
        CHECK(fl == want, "q%u: used descriptor at slot %u (id %u) flags %04x, want %04x", v.q, slot, id, fl, want);
        CHECK(addr == 0, "q%u: used descriptor at slot %u addr %016" PRIx64, v.q, slot, addr);
        auto it = v.out.find(id);
        CHECK(it != v.out.end(), "q%u: used id %u at slot %u not outstanding", v.q, id, slot);
        v.ulog.push_back({cyc, slot, v.pu_wrap, id, fl, len,
                          (uint16_t)(it == v.out.end() ? 0 : it->second.nslots)});
        if (it == v.out.end()) {
            if (++v.pu_idx == v.size) { v.pu_idx = 0; v.pu_wrap = !v.pu_wrap; }
            return;
        }
        Chain c = it->second;
        v.out.erase(it);
        CHECK(c.slot == slot && c.wrap == v.pu_wrap, "q%u: id %u used at slot %u wrap %d, made available at "
              "slot %u wrap %d", v.q, id, slot, v.pu_wrap, c.slot, c.wrap);
        v.reaped.push_back(c);
        v.seen++;
        for (unsigned i = 0; i < c.nslots; i++)
            if (++v.pu_idx == v.size) { v.pu_idx = 0; v.pu_wrap = !v.pu_wrap; }
        v.nfree = (uint16_t)(v.nfree + c.nslots);
        v.ids.push_back(id);
        if (v.q & 1) {
            CHECK(len == 0, "q%u: TX used len %u", v.q, len);
            v.completed++;
        } else {
            CHECK(!v.order.empty() && v.order.front() == id, "q%u: RX buffer %u used out of order", v.q, id);
            if (!v.order.empty()) v.order.pop_front();
            if (strict_rx && !v.lax) check_rx(v, c, len);
        }
    }

    // a queue reset is exact (packed): what completed was sent (TX) or is left alone
    // (RX); what did not was never touched; nothing of the queue is read, written or
    // notified after t_idle
    void check_exact_pk(unsigned q, uint64_t t_idle, unsigned &completed, unsigned &untouched)
    {
        VQ &v = vq[q];
        CHECK(qstate(q) == VN_QSTATE_IDLE && qinflight(q) == 0 && qindices(q) == 0, "q%u not cleared", q);
        for (const Chain &c : v.reaped) {
            completed++;
            if (q & 1) CHECK(c.unsent || !v.expect.count(c.seq), "q%u: frame %u completed, never sent", q, c.seq);
            else
                for (auto &b : c.bufs)
                    CHECK(!writes_after(t_idle, b.first, b.first + b.second), "q%u: buffer of a completed chain "
                          "written after IDLE", q);
        }
        for (auto &kv : v.out) {
            const Chain &c = kv.second;
            untouched++;
            if (q & 1) CHECK(v.expect.count(c.seq), "q%u: frame %u sent, its used descriptor never written", q, c.seq);
            else
                for (auto &b : c.bufs)
                    CHECK(!writes_after(0, b.first, b.first + b.second), "q%u: buffer %u written, its used "
                          "descriptor never", q, kv.first);
            for (auto &b : c.bufs)
                CHECK(!reads_after(t_idle, b.first, b.first + b.second), "q%u: buffer read after IDLE", q);
        }
        CHECK(!writes_after(t_idle, v.desc, v.desc + 16ull * v.size), "q%u: ring written after IDLE", q);
        CHECK(!writes_after(t_idle, v.drv_ev, v.drv_ev + 4) && !writes_after(t_idle, v.dev_ev, v.dev_ev + 4),
              "q%u: event area written after IDLE", q);
        CHECK(!reads_after(t_idle, v.desc, v.desc + 16ull * v.size) && !reads_after(t_idle, v.drv_ev, v.drv_ev + 4),
              "q%u: ring read after IDLE", q);
        for (auto &m : msis) CHECK(!(m.second == v.vector && m.first >= t_idle), "q%u: interrupt after IDLE", q);
    }

    unsigned msis_for(unsigned vec, uint64_t since = 0)
    {
        unsigned n = 0;
        for (auto &m : msis) n += m.second == vec && m.first >= since;
        return n;
    }

    bool wait_state(unsigned q, unsigned s, uint64_t limit)
    {
        return run_until([&] { return qstate(q) == s; }, limit);
    }

    // A reset is exact (virtio 1.2 2.6.1) when every buffer made available in the run that
    // ended at t_idle was either completed - its used element written and published by
    // then - or never touched (no MAC frame, no host write), and the device leaves the
    // queue alone afterwards.  Call it a little after t_idle (a completed frame's last beat
    // may trail its used idx) and before setup() forgets the run.
    struct Exact { unsigned completed = 0, reclaimed = 0; };
    Exact check_exact(unsigned q, uint64_t t_idle)
    {
        VQ &v = vq[q];
        Exact r;
        uint16_t idx = r16(v.used + 2);
        CHECK(idx == (uint16_t)v.elems, "q%u: %u used elements written, used idx %u", q, v.elems, idx);
        CHECK(v.seen == idx, "q%u: used idx %u, driver saw %u", q, idx, v.seen);
        CHECK(qstate(q) == VN_QSTATE_IDLE && qinflight(q) == 0 && qindices(q) == 0, "q%u not cleared", q);
        auto silent = [&](const Chain &c) {
            for (auto &b : c.bufs)
                if (writes_after(t_idle, b.first, b.first + b.second)) return false;
            return true;
        };
        for (const Chain &c : v.reaped) {
            r.completed++;
            if (q & 1) CHECK(c.unsent || !v.expect.count(c.seq), "q%u: frame %u completed, never sent", q, c.seq);
            else CHECK(silent(c), "q%u: buffer of completed chain %u written after IDLE", q, c.descs[0]);
        }
        for (auto &kv : v.out) {
            const Chain &c = kv.second;
            r.reclaimed++;
            if (q & 1) {
                CHECK(v.expect.count(c.seq), "q%u: frame %u sent, its used element never published", q, c.seq);
            } else {
                bool untouched = true;
                for (auto &b : c.bufs) untouched &= !writes_after(0, b.first, b.first + b.second);
                CHECK(untouched, "q%u: chain %u written, its used element never published", q, kv.first);
            }
        }
        CHECK(!writes_after(t_idle, v.used, v.used + 6 + 8ull * v.size), "q%u: used ring written after IDLE", q);
        // and no read either: rings, descriptors, buffers
        bool quiet = !reads_after(t_idle, v.desc, v.desc + 16ull * v.size) &&
                     !reads_after(t_idle, v.avail, v.avail + 6 + 2ull * v.size);
        for (const Chain &c : v.reaped) for (auto &b : c.bufs)
            quiet &= !reads_after(t_idle, b.first, b.first + b.second);
        for (auto &kv : v.out) for (auto &b : kv.second.bufs) quiet &= !reads_after(t_idle, b.first, b.first + b.second);
        CHECK(quiet, "q%u: read after IDLE", q);
        if (v.vector != VN_MSIX_NO_VECTOR)
            for (auto &m : msis) CHECK(!(m.second == v.vector && m.first >= t_idle), "q%u: interrupt after IDLE", q);
        return r;
    }

    bool reads_after(uint64_t since, uint64_t lo, uint64_t hi)
    {
        // reads are at most 4096 bytes
        for (auto it = rd_at.lower_bound(lo >= 4095 ? lo - 4095 : 0); it != rd_at.end() && it->first < hi; ++it) {
            const Wr &r = rdlog[it->second];
            if (r.cyc >= since && r.addr + r.len > lo) return true;
        }
        return false;
    }

    bool writes_after(uint64_t since, uint64_t lo, uint64_t hi)
    {
        if (hi - lo <= (1u << 20)) {
            // writes are at most 64 bytes: only those starting from lo - 63 on can overlap
            for (auto it = wr_at.lower_bound(lo >= 63 ? lo - 63 : 0); it != wr_at.end() && it->first < hi; ++it) {
                const Wr &w = wrlog[it->second];
                if (w.cyc >= since && w.addr + w.len > lo) return true;
            }
            return false;
        }
        for (const Wr &w : wrlog)
            if (w.cyc >= since && w.addr < hi && w.addr + w.len > lo) return true;
        return false;
    }
};

// ---------------------------------------------------------------------------------------
// scenarios, in the order main runs them

// split rings (tb_vq_split.cpp)
void tx_basic();
void rx_basic();
void rx_drops();
void interrupts();
void errors();
void indirect_errors();
void reset_inflight();
void reset_exact();
void dev_reset();
void limits();
void perf_tx(unsigned len, unsigned lat = 250);
void perf_rx(unsigned len, unsigned lat = 250);

// packed rings (tb_vq_packed.cpp)
void pk_tx_basic();
void pk_wrap();
void pk_unavail();
void pk_rx_basic();
void pk_indirect();
void pk_events();
void pk_reset();
void pk_reorder();
void pk_lap();
void pk_starve();
void pk_mixed();
void pk_loop();

}  // namespace vqtb

#endif
