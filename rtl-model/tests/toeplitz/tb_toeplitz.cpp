// tb_toeplitz: vn_toeplitz alone against the C reference (sim/src/toeplitz.c).  The
// Microsoft RSS verification vectors first, then random keys, lengths and data: a long
// back-to-back burst (one result every cycle, at the documented latency) and a stretch
// with random gaps.  Bytes past in_len are random, the block must ignore them.
// Usage: tb_toeplitz [--seed N] [--count N]
#include "Vvn_toeplitz.h"
#include "rss_vectors.h"
#include "toeplitz.h"
#include "verilated.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>

namespace {

constexpr int LATENCY = 2;  // vn_toeplitz's LATENCY
constexpr int IN_BYTES = 36, KEY_BYTES = 40;

int failures;
#define CHECK_EQ(a, b)                                                                        \
    do {                                                                                      \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);        \
        if (a_ != b_ && failures++ < 20)                                                      \
            std::fprintf(stderr, "%s:%d: %s == %s failed: 0x%llx != 0x%llx\n", __FILE__,      \
                         __LINE__, #a, #b, a_, b_);                                           \
    } while (0)


struct Input {
    uint8_t key[KEY_BYTES];
    uint8_t data[IN_BYTES];
    unsigned len;  // what in_len carries: may exceed IN_BYTES
    uint32_t want;
    uint64_t id;
};

// the same arrangement the RTL documents: byte i in bits [8i+7:8i]
template <typename W> void pack(W &w, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i += 4) {
        uint32_t v = 0;
        for (int k = 0; k < 4 && i + k < n; k++) v |= uint32_t(b[i + k]) << (8 * k);
        w[i / 4] = v;
    }
}

struct Tb {
    std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    std::unique_ptr<Vvn_toeplitz> t{new Vvn_toeplitz(ctx.get())};
    uint64_t cycle = 0;                       // rising edges so far
    std::deque<std::pair<uint64_t, Input>> q;  // sampled edge, input
    uint64_t results = 0, max_run = 0, run = 0;

    Tb()
    {
        t->in_valid = 0;
        t->rst_n = 0;
        edge();
        edge();
        CHECK_EQ(t->out_valid, 0);
        t->rst_n = 1;
        q.clear();
        results = run = max_run = 0;
    }
    // one rising edge: sample what is driven, then check what comes out
    void edge()
    {
        t->clk = 0;
        t->eval();
        t->clk = 1;
        t->eval();
        if (t->rst_n && t->in_valid) q.emplace_back(cycle, cur);
        cycle++;
        check();
    }
    void check()
    {
        if (!t->out_valid) {
            run = 0;
            // nothing may be due: a result is exactly LATENCY edges late
            if (!q.empty()) CHECK_EQ(cycle - q.front().first < LATENCY, 1);
            return;
        }
        run++;
        if (run > max_run) max_run = run;
        if (q.empty()) {
            CHECK_EQ(t->out_valid, 0);  // a result nobody asked for
            return;
        }
        auto [at, in] = q.front();
        q.pop_front();
        CHECK_EQ(cycle - at, LATENCY);
        if (t->out_hash != in.want && failures++ < 20)
            std::fprintf(stderr, "input %" PRIu64 " (len %u): hash 0x%08x, reference 0x%08x\n",
                         in.id, in.len, t->out_hash, in.want);
        results++;
    }
    Input cur{};
    void drive(const Input &in)
    {
        cur = in;
        pack(t->in_data, in.data, IN_BYTES);
        pack(t->key, in.key, KEY_BYTES);
        t->in_len = in.len;
        t->in_valid = 1;
        edge();
        t->in_valid = 0;
    }
    void idle(int n)
    {
        for (int i = 0; i < n; i++) edge();
    }
};

uint32_t ref(const Input &in)
{
    size_t n = in.len < IN_BYTES ? in.len : IN_BYTES;
    return vn_toeplitz(in.key, KEY_BYTES, in.data, n);
}

// the suite's five IPv4 and three IPv6 flows, each without and with ports
void ms_vectors(Tb &tb, uint64_t &id)
{
    // all sixteen back to back; the expected hashes are the suite's, not the reference's,
    // and the reference is held to them too
    for (const vn_rss_v4 &v : V4) {
        for (int ports = 0; ports < 2; ports++) {
            Input in{};
            std::memcpy(in.key, MS_KEY, KEY_BYTES);
            in.len = unsigned(vn_rss_input_ipv4(v.src, v.dst, v.sport, v.dport, ports, in.data));
            in.want = ports ? v.h_tcp : v.h_ip;
            in.id = id++;
            CHECK_EQ(ref(in), in.want);
            tb.drive(in);
        }
    }
    for (const vn_rss_v6 &v : V6) {
        uint8_t s[16], d[16];
        ip6_bytes(v.src, s);
        ip6_bytes(v.dst, d);
        for (int ports = 0; ports < 2; ports++) {
            Input in{};
            std::memcpy(in.key, MS_KEY, KEY_BYTES);
            in.len = unsigned(vn_rss_input_ipv6(s, d, v.sport, v.dport, ports, in.data));
            in.want = ports ? v.h_tcp : v.h_ip;
            in.id = id++;
            CHECK_EQ(ref(in), in.want);
            tb.drive(in);
        }
    }
    tb.idle(LATENCY);
    CHECK_EQ(tb.results, 16);
    CHECK_EQ(tb.max_run, 16);  // back to back in, back to back out
}

Input random_input(std::mt19937_64 &rng, uint64_t id)
{
    Input in{};
    for (auto &b : in.key) b = uint8_t(rng());
    for (auto &b : in.data) b = uint8_t(rng());
    // mostly the lengths virtio hashes (8, 12, 32, 36), else anything in_len can carry
    static const unsigned common[] = {8, 12, 32, 36};
    unsigned r = unsigned(rng() % 8);
    in.len = r < 4 ? common[r] : unsigned(rng() % 64);
    in.want = ref(in);
    in.id = id;
    return in;
}

}  // namespace

int main(int argc, char **argv)
{
    uint64_t seed = std::random_device{}();
    long count = 10000;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 0);
        else if (a == "--count" && i + 1 < argc) count = std::strtol(argv[++i], nullptr, 0);
        else {
            std::printf("usage: tb_toeplitz [--seed N] [--count N]\nvn_toeplitz against "
                        "sim/src/toeplitz.c; exit 0 when every hash matches\n");
            return a == "--help" ? 0 : 2;
        }
    }
    std::printf("seed %" PRIu64 "\n", seed);
    std::mt19937_64 rng(seed);

    uint64_t id = 0;
    {
        Tb tb;
        ms_vectors(tb, id);
        std::printf("verification vectors: %" PRIu64 " hashes\n", tb.results);
    }

    Tb tb;
    // the first half back to back: one result every cycle
    long burst = count / 2;
    uint64_t start = tb.cycle;
    for (long i = 0; i < burst; i++) tb.drive(random_input(rng, id++));
    tb.idle(LATENCY);
    CHECK_EQ(tb.results, uint64_t(burst));
    CHECK_EQ(tb.max_run, uint64_t(burst));
    CHECK_EQ(tb.cycle - start, uint64_t(burst) + LATENCY);
    uint64_t burst_results = tb.results;

    // the rest with random gaps, and a reset in the middle that must drop what is in flight
    for (long i = burst; i < count; i++) {
        if (i == burst + (count - burst) / 2) {
            tb.drive(random_input(rng, id++));
            tb.q.clear();  // sampled, in stage 1 when the reset comes
            tb.t->rst_n = 0;
            tb.edge();
            tb.t->rst_n = 1;
            CHECK_EQ(tb.t->out_valid, 0);
        }
        tb.drive(random_input(rng, id++));
        if (rng() % 3 == 0) tb.idle(int(rng() % 4));
    }
    tb.idle(LATENCY);
    CHECK_EQ(tb.q.size(), 0);
    CHECK_EQ(tb.results - burst_results, uint64_t(count - burst));

    std::printf("random: %" PRIu64 " hashes (%ld back to back, one a cycle at latency %d)\n",
                tb.results, burst, LATENCY);
    std::printf("tb_toeplitz: %s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
