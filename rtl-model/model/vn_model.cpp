// vn_model.cpp: the C API of vn_model.h around the Verilated vionic_top.  The model is
// built twice (plain, and with FST tracing under another prefix); one template holds
// the cycle loop for both, so the plain one carries no tracing cost.  Nothing in the
// per-cycle path allocates or goes through an indirect call except the host's own
// callbacks.
#include "vn_model.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <vector>

#include "Vvionic_top.h"
#include "Vvionic_top___024root.h"
#include "Vvionic_top_fst.h"
#include "Vvionic_top_fst___024root.h"
#include "verilated.h"
#include "verilated_fst_c.h"
#include "vionic_regs.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "beats are copied as bytes into Verilator's 32-bit words: little-endian hosts only"
#endif

namespace {

constexpr uint64_t kTimeout = 1000000;       // cycles a completer access may take
constexpr uint32_t kDefaultLatency = 250;    // 1 us at 250 MHz
constexpr uint32_t kDefaultMaxReads = 256;
constexpr uint32_t kMaxRead = 4096;          // dma_rd_len limit
constexpr uint32_t kBeat = 64;               // bytes per data beat
constexpr unsigned kRxQueue = 256;           // frames vn_model_mac_rx may queue
constexpr uint32_t kTxMax = 65536;           // longest frame assembled; the rest is cut
constexpr uint64_t kHalfPeriodPs = 2000;     // 250 MHz
constexpr int kResetCycles = 8;

struct read_slot {
    uint64_t due;    // cycle of the first beat
    uint32_t beats;
    uint32_t next;   // next beat to deliver
    uint16_t tag;
    uint8_t *data;   // beats * kBeat bytes, zero padded
};

struct rx_slot {
    std::vector<uint8_t> bytes;
    uint32_t len;
};

}  // namespace

// The C handle.  Everything that does not depend on the Verilated class lives here.
struct vn_model {
    virtual ~vn_model() = default;
    virtual void step(uint64_t n) = 0;
    virtual int access(bool cfg, bool write, unsigned bar, uint32_t off, unsigned size,
                       uint32_t wdata, uint32_t *rdata) = 0;
    virtual uint32_t fw_access(bool write, uint32_t addr, uint32_t val) = 0;
    virtual bool fw_irq() const = 0;
    virtual void load_words(int mem, uint32_t word, const uint32_t *w, size_t n) = 0;
    virtual void flash_bd_write(uint32_t widx, uint32_t val) = 0;
    virtual uint32_t flash_bd_read(uint32_t widx) = 0;
    virtual void power_cycle() = 0;
    virtual void core_reset() = 0;
    virtual void set_link(bool up) = 0;
    virtual bool fw_ready() const = 0;
    virtual void core_stats(vn_model_stats *s) const = 0;

    vn_model_host host{};
    vn_model_mac mac{};
    vn_model_fw fw{};
    vn_model_stats st{};
    uint32_t latency = kDefaultLatency;
    uint32_t max_reads = kDefaultMaxReads;
    uint64_t cycles = 0;
    bool core_mode = false;

    // outstanding reads: completions come back in request order, so a ring
    std::vector<uint8_t> read_pool;
    std::vector<read_slot> reads;
    uint32_t rd_head = 0, rd_count = 0;

    std::vector<rx_slot> rx;
    unsigned rx_head = 0, rx_count = 0;
    uint32_t rx_off = 0;         // bytes of the head frame already sent
    bool rx_presented = false;   // the head beat is on the bus

    std::vector<uint8_t> tx;
    uint32_t tx_len = 0;
    bool tx_done = false;

    bool in_poll = false;
    bool poll_again = false;

    bool rsp_seen = false;
    uint32_t rsp_data = 0;
    unsigned stale_rsp = 0;      // answers still owed to accesses that timed out

    int init(const vn_model_cfg *cfg) {
        if (cfg) {
            if (cfg->dma_latency) latency = cfg->dma_latency;
            if (cfg->dma_max_reads) max_reads = cfg->dma_max_reads;
            core_mode = cfg->firmware_core != 0;
        }
        if (max_reads > 4096) return -EINVAL;
        read_pool.assign(static_cast<size_t>(max_reads) * kMaxRead, 0);
        reads.resize(max_reads);
        for (uint32_t i = 0; i < max_reads; i++)
            reads[i].data = read_pool.data() + static_cast<size_t>(i) * kMaxRead;
        rx.resize(kRxQueue);
        tx.assign(kTxMax, 0);
        return 0;
    }

    // The firmware runs between cycles, never inside one and never re-entered.
    void maybe_poll() {
        if (!fw.poll || in_poll || !(poll_again || fw_irq())) return;
        in_poll = true;
        poll_again = fw.poll(fw.ctx) != 0;
        in_poll = false;
    }

    // host side of a DMA read request, sampled now and delivered later
    void accept_read(uint64_t addr, uint32_t len, uint16_t tag) {
        read_slot &r = reads[(rd_head + rd_count) % max_reads];
        bool bad = len == 0 || len > kMaxRead;
        uint32_t n = bad ? kBeat : len;
        r.beats = (n + kBeat - 1) / kBeat;
        r.next = 0;
        r.tag = tag;
        r.due = cycles + latency;
        // only the last beat's tail is not overwritten by the read itself
        std::memset(r.data + n, 0, static_cast<size_t>(r.beats) * kBeat - n);
        if (bad || !host.dma_read || host.dma_read(host.ctx, addr, r.data, n) != 0) {
            std::memset(r.data, 0, n);
            st.dma_faults++;
        }
        rd_count++;
        st.dma_reads++;
        st.dma_read_bytes += bad ? 0 : len;
        if (rd_count > st.dma_reads_max_inflight) st.dma_reads_max_inflight = rd_count;
    }

    void apply_write(uint64_t addr, const uint8_t *data, uint32_t len) {
        st.dma_writes++;
        if (len == 0 || len > kBeat) {
            st.dma_faults++;
            return;
        }
        st.dma_write_bytes += len;
        if (!host.dma_write || host.dma_write(host.ctx, addr, data, len) != 0) st.dma_faults++;
    }

    void tx_beat(const uint8_t *data, uint64_t keep, bool last) {
        uint32_t n = static_cast<uint32_t>(__builtin_popcountll(keep));
        if (n > kTxMax - tx_len) n = kTxMax - tx_len;
        std::memcpy(tx.data() + tx_len, data, n);
        tx_len += n;
        if (last) tx_done = true;
    }

    void tx_deliver() {
        tx_done = false;
        st.mac_tx_frames++;
        uint32_t len = tx_len;
        tx_len = 0;
        if (mac.tx_frame) mac.tx_frame(mac.ctx, tx.data(), len);
    }
};

namespace {

// VerilatedContext must exist (and know about tracing) before the model is built.
struct context_holder {
    VerilatedContext ctx;
    explicit context_holder(bool trace) {
        ctx.debug(0);
        ctx.randReset(0);
        if (trace) ctx.traceEverOn(true);
    }
};

template <class Top, bool Trace>
struct model_impl final : context_holder, vn_model {
    Top top;
    VerilatedFstC *fst = nullptr;

    model_impl() : context_holder(Trace), top(&ctx, "vionic") {}

    ~model_impl() override {
        top.final();
        if (fst) {
            fst->close();
            delete fst;
        }
    }

    int open_trace(const char *path) {
        if constexpr (Trace) {
            // the FST writer does not report a failed open: find out first
            FILE *f = std::fopen(path, "wb");
            if (!f) return -errno;
            std::fclose(f);
            fst = new (std::nothrow) VerilatedFstC;
            if (!fst) return -ENOMEM;
            top.trace(fst, 99);
            fst->open(path);
            if (!fst->isOpen()) return -EIO;
        } else {
            (void)path;
        }
        return 0;
    }

    void dump(uint64_t t) {
        if constexpr (Trace) fst->dump(t);
    }

    void reset() {
        top.clk = 0;
        top.rst_n = 0;
        top.dma_wr_ready = 1;
        top.m_axis_tx_tready = 1;
        top.core_en = core_mode;
        top.core_rst_req = 0;
        top.mac_link_up = link_up;
        top.flash_bd_sel = 0;
        top.flash_bd_we = 0;
        for (int i = 0; i < kResetCycles; i++) {
            top.eval();
            top.clk = 1;
            top.eval();
            top.clk = 0;
        }
        top.rst_n = 1;
    }

    // One clock cycle: drive this cycle's inputs, settle, take the handshakes the edge
    // will commit, clock, then retire what was taken.
    void cycle() {
        bool cpl = false;
        if (rd_count) {
            read_slot &r = reads[rd_head];
            if (r.due <= cycles) {
                cpl = true;
                top.dma_cpl_valid = 1;
                top.dma_cpl_tag = r.tag;
                top.dma_cpl_last = r.next + 1 == r.beats;
                std::memcpy(top.dma_cpl_data.data(), r.data + static_cast<size_t>(r.next) * kBeat, kBeat);
            } else {
                top.dma_cpl_valid = 0;
            }
        } else {
            top.dma_cpl_valid = 0;
        }
        top.dma_rd_ready = rd_count < max_reads;
        if (rx_count && !rx_presented) present_rx();

        top.eval();
        if constexpr (Trace) dump(cycles * 2 * kHalfPeriodPs);

        if (top.dma_rd_valid && top.dma_rd_ready)
            accept_read(top.dma_rd_addr, top.dma_rd_len, top.dma_rd_tag);
        if (top.dma_wr_valid)
            apply_write(top.dma_wr_addr, reinterpret_cast<const uint8_t *>(top.dma_wr_data.data()),
                        top.dma_wr_len);
        if (top.m_axis_tx_tvalid)
            tx_beat(reinterpret_cast<const uint8_t *>(top.m_axis_tx_tdata.data()), top.m_axis_tx_tkeep,
                    top.m_axis_tx_tlast);
        bool rx_took = top.s_axis_rx_tvalid && top.s_axis_rx_tready;
        bool tgt_took = top.tgt_req_valid && top.tgt_req_ready;

        top.clk = 1;
        top.eval();
        if constexpr (Trace) dump(cycles * 2 * kHalfPeriodPs + kHalfPeriodPs);
        top.clk = 0;
        cycles++;

        if (cpl) {
            read_slot &r = reads[rd_head];
            if (++r.next == r.beats) {
                rd_head = (rd_head + 1) % max_reads;
                rd_count--;
            }
        }
        if (rx_took) advance_rx();
        if (tgt_took) top.tgt_req_valid = 0;
        if (top.tgt_rsp_valid) {
            if (stale_rsp) {
                stale_rsp--;
            } else {
                rsp_seen = true;
                rsp_data = top.tgt_rsp_rdata;
            }
        }
        if (tx_done) tx_deliver();
    }

    void present_rx() {
        const rx_slot &f = rx[rx_head];
        uint32_t n = f.len - rx_off;
        if (n > kBeat) n = kBeat;
        uint8_t *d = reinterpret_cast<uint8_t *>(top.s_axis_rx_tdata.data());
        std::memcpy(d, f.bytes.data() + rx_off, n);
        if (n < kBeat) std::memset(d + n, 0, kBeat - n);
        top.s_axis_rx_tkeep = n == 64 ? ~0ull : ((1ull << n) - 1);
        top.s_axis_rx_tlast = rx_off + n >= f.len;
        top.s_axis_rx_tvalid = 1;
        rx_presented = true;
    }

    void advance_rx() {
        rx_presented = false;
        rx_off += kBeat;
        if (rx_off >= rx[rx_head].len) {
            rx_off = 0;
            rx_head = (rx_head + 1) % kRxQueue;
            rx_count--;
            st.mac_rx_frames++;
        }
        if (!rx_count) top.s_axis_rx_tvalid = 0;
    }

    bool fw_irq() const override { return top.fw_irq; }

    bool link_up = true;

    // mem: 0 ROM, 1 IMEM (the caller checked the range)
    void load_words(int mem, uint32_t word, const uint32_t *w, size_t n) override {
        auto *r = top.rootp;
        for (size_t i = 0; i < n; i++) {
            if (mem == 0) r->vionic_top__DOT__u_core__DOT__rom[word + i] = w[i];
            else r->vionic_top__DOT__u_core__DOT__imem[word + i] = w[i];
        }
    }

    void flash_bd_write(uint32_t widx, uint32_t val) override {
        top.flash_bd_sel = 1;
        top.flash_bd_we = 1;
        top.flash_bd_widx = widx;
        top.flash_bd_wdata = val;
        cycle();
        top.flash_bd_we = 0;
        top.flash_bd_sel = 0;
    }

    // the read port is combinational: settle without a clock edge
    uint32_t flash_bd_read(uint32_t widx) override {
        top.flash_bd_sel = 1;
        top.flash_bd_widx = widx;
        top.eval();
        uint32_t v = top.flash_bd_rdata;
        top.flash_bd_sel = 0;
        return v;
    }

    void power_cycle() override {
        top.flash_cut = 1;
        top.tgt_req_valid = 0;
        top.fw_req_valid = 0;
        top.s_axis_rx_tvalid = 0;
        top.dma_cpl_valid = 0;
        reset();
        top.flash_cut = 0;
        rd_head = rd_count = 0;
        rx_head = rx_count = 0;
        rx_off = 0;
        rx_presented = false;
        tx_len = 0;
        tx_done = false;
        rsp_seen = false;
        stale_rsp = 0;
        poll_again = false;
    }

    void core_reset() override {
        top.core_rst_req = 1;
        cycle();
        top.core_rst_req = 0;
    }

    void set_link(bool up) override {
        link_up = up;
        top.mac_link_up = up;
    }

    bool fw_ready() const override { return !core_mode || top.core_evt_seen; }

    void core_stats(vn_model_stats *s) const override {
        s->core_instret = core_mode ? top.core_instret : 0;
        s->core_pc = core_mode ? top.core_pc : 0;
    }

    void step(uint64_t n) override {
        uint64_t end = cycles + n;
        while (cycles < end) {
            maybe_poll();
            if (cycles >= end) break;
            cycle();
        }
    }

    int access(bool cfg, bool write, unsigned bar, uint32_t off, unsigned size, uint32_t wdata,
               uint32_t *rdata) override {
        top.tgt_req_valid = 1;
        top.tgt_req_cfg = cfg;
        top.tgt_req_write = write;
        top.tgt_req_bar = bar;
        top.tgt_req_addr = off;
        top.tgt_req_size = size;
        top.tgt_req_wdata = wdata;
        rsp_seen = false;
        uint64_t deadline = cycles + kTimeout;
        for (;;) {
            if (rsp_seen) break;
            if (cycles >= deadline) {
                if (top.tgt_req_valid) top.tgt_req_valid = 0;  // never taken: nothing owed
                else stale_rsp++;
                return -ETIMEDOUT;
            }
            maybe_poll();
            if (rsp_seen) break;
            cycle();
        }
        rsp_seen = false;
        if (rdata) *rdata = rsp_data;
        return 0;
    }

    uint32_t fw_access(bool write, uint32_t addr, uint32_t val) override {
        top.fw_req_valid = 1;
        top.fw_req_write = write;
        top.fw_req_addr = addr & 0xfff;
        top.fw_req_wdata = val;
        cycle();
        top.fw_req_valid = 0;
        return write ? 0 : top.fw_rsp_rdata;
    }
};

template <class Impl>
vn_model *make(const vn_model_cfg *cfg) {
    Impl *m = new (std::nothrow) Impl;
    if (!m) {
        errno = ENOMEM;
        return nullptr;
    }
    int rc;
    try {
        rc = m->init(cfg);
    } catch (const std::bad_alloc &) {
        rc = -ENOMEM;
    }
    if (!rc && cfg && cfg->fst_path) rc = m->open_trace(cfg->fst_path);
    if (rc) {
        delete m;
        errno = -rc;
        return nullptr;
    }
    m->reset();
    return m;
}

bool access_ok(uint32_t off, unsigned size) {
    return (size == 1 || size == 2 || size == 4) && off % size == 0;
}

}  // namespace

extern "C" {

vn_model *vn_model_new(const struct vn_model_cfg *cfg) {
    if (cfg && cfg->fst_path) return make<model_impl<Vvionic_top_fst, true>>(cfg);
    return make<model_impl<Vvionic_top, false>>(cfg);
}

void vn_model_free(vn_model *m) { delete m; }

void vn_model_set_host(vn_model *m, const struct vn_model_host *host) {
    m->host = host ? *host : vn_model_host{};
}

void vn_model_set_mac(vn_model *m, const struct vn_model_mac *mac) {
    m->mac = mac ? *mac : vn_model_mac{};
}

void vn_model_set_fw(vn_model *m, const struct vn_model_fw *fw) {
    m->fw = fw ? *fw : vn_model_fw{};
    m->poll_again = false;
}

uint64_t vn_model_cycles(const vn_model *m) { return m->cycles; }

void vn_model_step(vn_model *m, uint64_t cycles) { m->step(cycles); }

int vn_model_cfg_read(vn_model *m, uint32_t off, unsigned size, uint32_t *val) {
    if (!val || !access_ok(off, size) || off >= 4096) return -EINVAL;
    return m->access(true, false, 0, off, size, 0, val);
}

int vn_model_cfg_write(vn_model *m, uint32_t off, unsigned size, uint32_t val) {
    if (!access_ok(off, size) || off >= 4096) return -EINVAL;
    return m->access(true, true, 0, off, size, val, nullptr);
}

int vn_model_bar_read(vn_model *m, unsigned bar, uint32_t off, unsigned size, uint32_t *val) {
    if (!val || bar > 5 || !access_ok(off, size)) return -EINVAL;
    return m->access(false, false, bar, off, size, 0, val);
}

int vn_model_bar_write(vn_model *m, unsigned bar, uint32_t off, unsigned size, uint32_t val) {
    if (bar > 5 || !access_ok(off, size)) return -EINVAL;
    return m->access(false, true, bar, off, size, val, nullptr);
}

uint32_t vn_model_fw_read(vn_model *m, uint32_t addr) { return m->fw_access(false, addr, 0); }

void vn_model_fw_write(vn_model *m, uint32_t addr, uint32_t val) { m->fw_access(true, addr, val); }

int vn_model_fw_irq(const vn_model *m) { return m->fw_irq() ? 1 : 0; }

int vn_model_mac_rx(vn_model *m, const uint8_t *frame, uint32_t len) {
    if (!frame || len == 0) return -EINVAL;
    if (m->rx_count == kRxQueue) return -ENOSPC;
    rx_slot &s = m->rx[(m->rx_head + m->rx_count) % kRxQueue];
    try {
        s.bytes.assign(frame, frame + len);
    } catch (const std::bad_alloc &) {
        return -ENOMEM;
    }
    s.len = len;
    m->rx_count++;
    return 0;
}

unsigned vn_model_mac_rx_pending(const vn_model *m) { return m->rx_count; }

void vn_model_get_stats(const vn_model *m, struct vn_model_stats *st) {
    *st = m->st;
    st->cycles = m->cycles;
    m->core_stats(st);
}

namespace {
constexpr uint32_t kFlashBytes = VN_FLASH_SECTORS * VN_FLASH_SECTOR_BYTES;

int load_mem(vn_model *m, int mem, uint32_t off, const void *data, size_t len, uint32_t size) {
    if ((!data && len) || off % 4 || off > size || len > size - off) return -EINVAL;
    const uint8_t *p = static_cast<const uint8_t *>(data);
    uint32_t word = off / 4;
    while (len) {
        uint32_t w = 0;
        size_t n = len < 4 ? len : 4;
        std::memcpy(&w, p, n);  // a short last word is zero padded
        m->load_words(mem, word++, &w, 1);
        p += n;
        len -= n;
    }
    return 0;
}

bool flash_range_ok(uint32_t off, size_t len) {
    return off % 4 == 0 && off <= kFlashBytes && len <= kFlashBytes - off;
}
}  // namespace

int vn_model_load_rom(vn_model *m, const void *data, size_t len) {
    if (len > VN_CORE_ROM_SIZE) return -EINVAL;
    static const uint32_t zero[64] = {};
    for (uint32_t w = 0; w < VN_CORE_ROM_SIZE / 4; w += 64) m->load_words(0, w, zero, 64);
    return load_mem(m, 0, 0, data, len, VN_CORE_ROM_SIZE);
}

int vn_model_load_imem(vn_model *m, uint32_t off, const void *data, size_t len) {
    return load_mem(m, 1, off, data, len, VN_CORE_IMEM_SIZE);
}

int vn_model_flash_write(vn_model *m, uint32_t off, const void *data, size_t len) {
    if ((!data && len) || !flash_range_ok(off, len)) return -EINVAL;
    const uint8_t *p = static_cast<const uint8_t *>(data);
    for (uint32_t widx = off / 4; len; widx++) {
        size_t n = len < 4 ? len : 4;
        uint32_t w = n < 4 ? m->flash_bd_read(widx) : 0;
        std::memcpy(&w, p, n);
        m->flash_bd_write(widx, w);
        p += n;
        len -= n;
    }
    return 0;
}

int vn_model_flash_read(vn_model *m, uint32_t off, void *buf, size_t len) {
    if ((!buf && len) || !flash_range_ok(off, len)) return -EINVAL;
    uint8_t *p = static_cast<uint8_t *>(buf);
    for (uint32_t widx = off / 4; len; widx++) {
        uint32_t w = m->flash_bd_read(widx);
        size_t n = len < 4 ? len : 4;
        std::memcpy(p, &w, n);
        p += n;
        len -= n;
    }
    return 0;
}

void vn_model_power_cycle(vn_model *m) { m->power_cycle(); }

void vn_model_core_reset(vn_model *m) { m->core_reset(); }

void vn_model_set_link(vn_model *m, int up) { m->set_link(up != 0); }

int vn_model_fw_ready(const vn_model *m) { return m->fw_ready() ? 1 : 0; }

}  // extern "C"
