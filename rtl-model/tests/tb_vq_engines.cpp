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
    struct Cmd { unsigned cmd, q, size, vector; uint64_t desc, drv, dev; };
    std::deque<Cmd> cmds;
    std::deque<unsigned> dbs;
    bool dev_reset_next = false;
    VQ vq[NQ];
    bool strict_rx = true;      // every RX used element is checked against rx_expect
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
        if (!dbs.empty()) { d->db_valid = 1; d->db_queue = dbs.front(); dbs.pop_front(); }
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
        cmds.push_back({VN_QC_CMD_START, q, size, vector, v.desc, v.avail, v.used});
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
        cmds.push_back({VN_QC_CMD_RESET, q, 0, 0, 0, 0, 0});
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
