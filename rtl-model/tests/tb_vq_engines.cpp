// tb_vq_engines: vq_engines on its own against a modeled host.  Host memory answers the
// tagged read port after a latency (optionally jittered, with beats of different reads
// interleaved); a driver model builds split rings in it, programs the contexts through
// the ctx_* ports, rings doorbells, streams frames into s_axis_rx and checks, byte for
// byte, what comes out of m_axis_tx and what lands in host memory, plus the order of
// data, used elements, used idx and MSI-X requests.  Ends with modeled cycles per packet.
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

namespace {

constexpr unsigned QP = 4;              // the model is Verilated with -GQP=4
constexpr unsigned NQ = 2 * QP;
constexpr uint64_t MEM_BASE = 0x7f3200000000ull;   // IOVAs: nothing like a pointer
constexpr size_t MEM_SIZE = 48u << 20;
constexpr unsigned HDR = VN_NET_HDR_LEN;
uint64_t SEED = 0x5eed2024ull;           // VQ_TB_SEED overrides it (exploration only)

int g_failures;
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
unsigned flow_pair(const std::vector<uint8_t> &f, unsigned pairs)
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
                    v = v << 8 | ((off < r.len && in_mem(a, 1)) ? *at(a) : 0);
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
            Rd r{(uint8_t)d->rd_req_tag, d->rd_req_addr, d->rd_req_len, 0, 0, 0};
            CHECK(r.len >= 1 && r.len <= 4096, "read length %u", r.len);
            CHECK(in_mem(r.addr, r.len), "read outside host memory: 0x%" PRIx64 "+%u", r.addr, r.len);
            CHECK(!tag_busy[r.tag], "tag %u reused while outstanding", r.tag);
            tag_busy[r.tag] = true;
            rd_at.emplace(r.addr, rdlog.size());
            rdlog.push_back({cyc, r.addr, r.len});
            r.nbeats = (r.len + 63) / 64;
            r.due = cyc + lat + (jitter ? rint(0, jitter) : 0);
            if (lat_fn) r.due = cyc + lat_fn(r.addr, r.len);
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
// scenarios

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
double line_cycles(unsigned len) { return (len + 20) * 8.0 / 100e9 * 250e6; }

void perf_tx(unsigned len, unsigned lat = 250)
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

void perf_rx(unsigned len, unsigned lat = 250)
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

// ---- packed rings (2.8, DEV_CTRL.PACKED) -----------------------------------------------
// The driver model above (setup_pk, post_*_pk, reap_pk) checks every used descriptor as
// it is written: at the driver's used position, flags AVAIL = USED = its used wrap counter
// (+ WRITE with a length), addr 0, the id of the chain that starts there, TX len 0, RX len
// and bytes against the frame; the used position then moves on by the chain's slots.

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

}  // namespace

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    // optional argument: run only the scenarios whose name contains it
    std::string only = argc > 1 && argv[1][0] != '+' ? argv[1] : "";
    if (const char *e = std::getenv("VQ_TB_SEED")) SEED = std::strtoull(e, nullptr, 0);
    std::printf("vq_engines_tb: seed 0x%" PRIx64 ", %u queue pairs\n", SEED, QP);
    const std::vector<std::pair<const char *, std::function<void()>>> scenarios = {
        {"tx_basic", tx_basic},
        {"rx_basic", rx_basic},
        {"rx_drops", rx_drops},
        {"interrupts", interrupts},
        {"errors", errors},
        {"indirect_errors", indirect_errors},
        {"reset_inflight", reset_inflight},
        {"reset_exact", reset_exact},
        {"dev_reset", dev_reset},
        {"limits", limits},
        {"pk_tx_basic", pk_tx_basic},
        {"pk_wrap", pk_wrap},
        {"pk_unavail", pk_unavail},
        {"pk_rx_basic", pk_rx_basic},
        {"pk_indirect", pk_indirect},
        {"pk_events", pk_events},
        {"pk_reset", pk_reset},
        {"pk_reorder", pk_reorder},
        {"pk_lap", pk_lap},
        {"pk_starve", pk_starve},
        {"pk_mixed", pk_mixed},
        {"perf_tx", [] {
             for (unsigned len : {64u, 128u, 256u, 1518u}) perf_tx(len);
             perf_tx(1518, 2500);
         }},
        {"perf_rx", [] {
             for (unsigned len : {64u, 128u, 256u, 1518u}) perf_rx(len);
             perf_rx(1518, 2500);
         }},
    };
    for (auto &s : scenarios)
        if (only.empty() || std::string(s.first).find(only) != std::string::npos) s.second();
    if (g_failures) {
        std::fprintf(stderr, "vq_engines_tb: %d check(s) failed\n", g_failures);
        return 1;
    }
    std::printf("vq_engines_tb: all checks passed\n");
    return 0;
}
