// tb_toeplitz: vn_toeplitz alone against the C reference (sim/src/toeplitz.c).  The
// Microsoft RSS verification vectors first, then random keys, lengths and data: a long
// back-to-back burst (one result every cycle, at the documented latency) and a stretch
// with random gaps.  Bytes past in_len are random, the block must ignore them.
// Usage: tb_toeplitz [--seed N] [--count N]
#include "Vvn_toeplitz.h"
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

const uint8_t MS_KEY[KEY_BYTES] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
    0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
    0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

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
    struct V4 { uint8_t s[4], d[4]; uint16_t sp, dp; uint32_t h2, h4; };
    static const V4 v4[] = {
        {{66, 9, 149, 187}, {161, 142, 100, 80}, 2794, 1766, 0x323e8fc2, 0x51ccc178},
        {{199, 92, 111, 2}, {65, 69, 140, 83}, 14230, 4739, 0xd718262a, 0xc626b0ea},
        {{24, 19, 198, 95}, {12, 22, 207, 184}, 12898, 38024, 0xd2d0a5de, 0x5c2b394a},
        {{38, 27, 205, 30}, {209, 142, 163, 6}, 48228, 2217, 0x82989176, 0xafc7327f},
        {{153, 39, 163, 191}, {202, 188, 127, 2}, 44251, 1303, 0x5d1809c5, 0x10e828a2},
    };
    struct V6 { uint16_t s[8], d[8]; uint16_t sp, dp; uint32_t h2, h4; };
    static const V6 v6[] = {
        {{0x3ffe, 0x2501, 0x200, 0x1fff, 0, 0, 0, 7}, {0x3ffe, 0x2501, 0x200, 3, 0, 0, 0, 1},
         2794, 1766, 0x2cc18cd5, 0x40207d3d},
        {{0x3ffe, 0x501, 8, 0, 0x260, 0x97ff, 0xfe40, 0xefab}, {0xff02, 0, 0, 0, 0, 0, 0, 1},
         14230, 4739, 0x0f0c461c, 0xdde51bbf},
        {{0x3ffe, 0x1900, 0x4545, 3, 0x200, 0xf8ff, 0xfe21, 0x67cf},
         {0xfe80, 0, 0, 0, 0x200, 0xf8ff, 0xfe21, 0x67cf}, 44251, 38024, 0x4b61e985,
         0x02d1feef},
    };
    auto be32 = [](const uint8_t *b) {
        return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
    };
    // all sixteen back to back; the expected hashes are the suite's, not the reference's,
    // and the reference is held to them too
    for (const V4 &v : v4) {
        for (int ports = 0; ports < 2; ports++) {
            Input in{};
            std::memcpy(in.key, MS_KEY, KEY_BYTES);
            in.len = unsigned(vn_rss_input_ipv4(be32(v.s), be32(v.d), v.sp, v.dp, ports, in.data));
            in.want = ports ? v.h4 : v.h2;
            in.id = id++;
            CHECK_EQ(ref(in), in.want);
            tb.drive(in);
        }
    }
    for (const V6 &v : v6) {
        uint8_t s[16], d[16];
        for (int i = 0; i < 8; i++) {
            s[2 * i] = uint8_t(v.s[i] >> 8); s[2 * i + 1] = uint8_t(v.s[i]);
            d[2 * i] = uint8_t(v.d[i] >> 8); d[2 * i + 1] = uint8_t(v.d[i]);
        }
        for (int ports = 0; ports < 2; ports++) {
            Input in{};
            std::memcpy(in.key, MS_KEY, KEY_BYTES);
            in.len = unsigned(vn_rss_input_ipv6(s, d, v.sp, v.dp, ports, in.data));
            in.want = ports ? v.h4 : v.h2;
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
