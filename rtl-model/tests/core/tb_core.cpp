// tb_core: vn_rv32_core alone against a modeled memory on its bus.  Loads a flat binary
// at address 0 into RAM, runs it until it writes the tohost word, and fails unless the
// value written is the one expected (1 = pass).  Each program runs twice: with no wait
// states (where cycles per instruction are measured) and with seeded random wait states.
// Every cycle the bus protocol is checked: a request holds its address, data and kind
// until acked, and fetches are word aligned.
#include "Vvn_rv32_core.h"
#include "verilated.h"

#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

// the memory map the test programs are linked for (asm/core_test.h mirrors it)
constexpr uint32_t RAM_SIZE = 64u << 10;       // RAM at 0
constexpr uint32_t TOHOST = 0xF0000000u;       // write: 1 = pass, else the failing check
constexpr uint32_t PUTCHAR = 0xF0000004u;      // write: a byte to stdout
constexpr uint32_t ILLCOUNT = 0xF0000008u;     // read: trap_illegal pulses seen so far
constexpr uint32_t SIGNATURE = 0xF000000Cu;    // write: a C program's result signature

struct Options {
    std::string image;
    uint32_t expect = 1;
    uint64_t seed = 0;
    bool seed_given = false;
    unsigned max_wait = 3;
    uint64_t max_cycles = 20000000;
    double max_cpi = 0;                         // 0: not checked
    bool want_sig = false;
    uint32_t sig = 0;
};

struct Result {
    bool done = false;
    uint32_t tohost = 0;
    bool sig_written = false;
    uint32_t sig = 0;
    uint64_t cycles = 0, instret = 0;
    double seconds = 0;
    int protocol_errors = 0;
};

void usage(FILE *f)
{
    std::fprintf(f,
        "usage: tb_core [options] IMAGE.bin\n"
        "Runs a flat RV32IM binary (loaded at 0, at most %u bytes) on vn_rv32_core.\n"
        "  --expect N      value the program must write to tohost (default 1 = pass)\n"
        "  --seed N        seed of the wait-state run (default: random, printed)\n"
        "  --max-wait N    most wait states per access in that run (default 3)\n"
        "  --max-cycles N  give up after N cycles per run (default 20000000)\n"
        "  --max-cpi X     fail if the no-wait run's cycles per instruction exceed X\n"
        "  --expect-sig-file F  the program must write the signature word to the\n"
        "                  value in file F (text, e.g. 0x1234abcd)\n"
        "  --help          this text\n", RAM_SIZE);
}

bool parse_u64(const char *s, uint64_t *out)
{
    char *end = nullptr;
    errno = 0;
    unsigned long long v = std::strtoull(s, &end, 0);
    if (errno || !end || *end || s[0] == '-' || s[0] == '\0') return false;
    *out = v;
    return true;
}

Result run(const std::vector<uint8_t> &image, unsigned max_wait, uint64_t seed, uint64_t max_cycles)
{
    std::vector<uint8_t> ram(RAM_SIZE, 0);
    std::memcpy(ram.data(), image.data(), image.size());
    std::mt19937_64 rng(seed);
    auto ctx = std::make_unique<VerilatedContext>();
    auto top = std::make_unique<Vvn_rv32_core>(ctx.get());
    Result r;
    uint32_t illegal_pulses = 0;

    top->clk = 0;
    top->rst_n = 0;
    top->bus_ack = 0;
    top->bus_err = 0;
    top->bus_rdata = 0;
    for (int i = 0; i < 4; i++) {
        top->clk = 0; top->eval();
        top->clk = 1; top->eval();
    }
    top->rst_n = 1;

    unsigned wait = max_wait ? unsigned(rng() % (max_wait + 1)) : 0;
    bool pending = false;                         // a request seen, not yet acked
    uint32_t p_addr = 0, p_wdata = 0;
    uint8_t p_we = 0, p_strb = 0, p_fetch = 0;
    auto t0 = std::chrono::steady_clock::now();
    uint64_t cyc = 0;
    for (; cyc < max_cycles && !r.done; cyc++) {
        top->clk = 0;
        top->eval();
        if (top->trap_illegal) illegal_pulses++;   // one count per cycle it is high
        top->bus_ack = 0;
        top->bus_err = 0;
        if (top->bus_req) {
            if (pending && (top->bus_addr != p_addr || top->bus_we != p_we ||
                            top->bus_fetch != p_fetch ||
                            (p_we && (top->bus_wdata != p_wdata || top->bus_wstrb != p_strb)))) {
                if (r.protocol_errors++ < 5)
                    std::fprintf(stderr, "cycle %" PRIu64 ": request changed before its ack\n", cyc);
            }
            pending = true;
            p_addr = top->bus_addr; p_we = top->bus_we; p_fetch = top->bus_fetch;
            p_wdata = top->bus_wdata; p_strb = top->bus_wstrb;
            if ((p_fetch && (p_addr & 3)) || (p_fetch && p_we)) {
                if (r.protocol_errors++ < 5)
                    std::fprintf(stderr, "cycle %" PRIu64 ": bad fetch at 0x%08x\n", cyc, p_addr);
            }
            if (wait) {
                wait--;
            } else {
                wait = max_wait ? unsigned(rng() % (max_wait + 1)) : 0;
                pending = false;
                top->bus_ack = 1;
                uint32_t a = p_addr & ~3u;
                if (a < RAM_SIZE) {
                    if (p_we) {
                        for (int b = 0; b < 4; b++)
                            if (p_strb >> b & 1) ram[a + b] = uint8_t(p_wdata >> (8 * b));
                    }
                    uint32_t v;
                    std::memcpy(&v, &ram[a], 4);   // host is little endian, like RISC-V
                    // rdata is valid only for reads; give garbage otherwise
                    top->bus_rdata = p_we ? 0xdeadbeefu : v;
                } else if (a == TOHOST && p_we) {
                    r.done = true;
                    r.tohost = p_wdata;
                } else if (a == SIGNATURE && p_we) {
                    r.sig_written = true;
                    r.sig = p_wdata;
                } else if (a == PUTCHAR && p_we) {
                    std::putchar(int(p_wdata & 0xff));
                } else if (a == ILLCOUNT && !p_we) {
                    top->bus_rdata = illegal_pulses;
                } else {
                    top->bus_err = 1;
                    top->bus_rdata = 0xbadc0de5u;
                }
            }
        } else if (pending) {
            if (r.protocol_errors++ < 5)
                std::fprintf(stderr, "cycle %" PRIu64 ": request dropped before its ack\n", cyc);
            pending = false;
        }
        top->eval();
        top->clk = 1;
        top->eval();
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.cycles = cyc;
    r.instret = top->dbg_instret;
    top->final();
    return r;
}

}  // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        uint64_t v = 0;
        auto need = [&](const char *what) -> const char * {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "tb_core: %s needs a value\n", what);
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            usage(stdout);
            return 0;
        } else if (a == "--expect") {
            if (!parse_u64(need("--expect"), &v) || v > 0xffffffffu) goto bad;
            o.expect = uint32_t(v);
        } else if (a == "--seed") {
            if (!parse_u64(need("--seed"), &v)) goto bad;
            o.seed = v;
            o.seed_given = true;
        } else if (a == "--max-wait") {
            if (!parse_u64(need("--max-wait"), &v) || v > 100) goto bad;
            o.max_wait = unsigned(v);
        } else if (a == "--max-cycles") {
            if (!parse_u64(need("--max-cycles"), &v) || v == 0) goto bad;
            o.max_cycles = v;
        } else if (a == "--max-cpi") {
            char *end = nullptr;
            o.max_cpi = std::strtod(need("--max-cpi"), &end);
            if (!end || *end || o.max_cpi <= 0) goto bad;
        } else if (a == "--expect-sig-file") {
            const char *path = need("--expect-sig-file");
            FILE *sf = std::fopen(path, "r");
            if (!sf) {
                std::fprintf(stderr, "tb_core: cannot open %s: %s\n", path, std::strerror(errno));
                return 2;
            }
            char line[64] = {0};
            bool ok = std::fgets(line, sizeof line, sf) != nullptr;
            std::fclose(sf);
            line[std::strcspn(line, "\r\n")] = 0;
            if (!ok || !parse_u64(line, &v) || v > 0xffffffffu) {
                std::fprintf(stderr, "tb_core: %s: no signature in it\n", path);
                return 2;
            }
            o.want_sig = true;
            o.sig = uint32_t(v);
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "tb_core: unknown option %s\n", a.c_str());
            usage(stderr);
            return 2;
        } else if (o.image.empty()) {
            o.image = a;
        } else {
            std::fprintf(stderr, "tb_core: one image only\n");
            return 2;
        }
        continue;
    bad:
        std::fprintf(stderr, "tb_core: bad value for %s\n", a.c_str());
        return 2;
    }
    if (o.image.empty()) {
        usage(stderr);
        return 2;
    }
    FILE *f = std::fopen(o.image.c_str(), "rb");
    if (!f) {
        std::fprintf(stderr, "tb_core: cannot open %s: %s\n", o.image.c_str(), std::strerror(errno));
        return 2;
    }
    std::vector<uint8_t> image(RAM_SIZE + 1);
    size_t n = std::fread(image.data(), 1, image.size(), f);
    std::fclose(f);
    if (n == 0 || n > RAM_SIZE) {
        std::fprintf(stderr, "tb_core: %s: %zu bytes, want 1..%u\n", o.image.c_str(), n, RAM_SIZE);
        return 2;
    }
    image.resize(n);
    if (!o.seed_given) o.seed = std::random_device{}();

    int failures = 0;
    for (int pass = 0; pass < 2; pass++) {
        unsigned mw = pass ? o.max_wait : 0;
        Result r = run(image, mw, o.seed, o.max_cycles);
        std::printf("tb_core: %s, %s: ", o.image.c_str(),
                    pass ? "random wait states" : "no wait states");
        if (pass) std::printf("(seed %" PRIu64 ", max %u) ", o.seed, mw);
        double cpi = r.instret ? double(r.cycles) / double(r.instret) : 0;
        std::printf("tohost=%u after %" PRIu64 " cycles, %" PRIu64 " instructions, CPI %.3f, "
                    "%.2f Mcycles/s\n", r.tohost, r.cycles, r.instret, cpi,
                    r.seconds > 0 ? double(r.cycles) / r.seconds / 1e6 : 0.0);
        if (!r.done) {
            std::fprintf(stderr, "tb_core: FAIL: no tohost write in %" PRIu64 " cycles\n", o.max_cycles);
            failures++;
        } else if (r.tohost != o.expect) {
            std::fprintf(stderr, "tb_core: FAIL: tohost=%u (the failing check), expected %u\n",
                         r.tohost, o.expect);
            failures++;
        }
        if (o.want_sig && (!r.sig_written || r.sig != o.sig)) {
            std::fprintf(stderr, "tb_core: FAIL: signature %s0x%08x, expected 0x%08x\n",
                         r.sig_written ? "" : "not written, ", r.sig, o.sig);
            failures++;
        }
        if (r.protocol_errors) {
            std::fprintf(stderr, "tb_core: FAIL: %d bus protocol errors\n", r.protocol_errors);
            failures++;
        }
        if (!pass && o.max_cpi > 0 && cpi > o.max_cpi) {
            std::fprintf(stderr, "tb_core: FAIL: CPI %.3f above %.3f\n", cpi, o.max_cpi);
            failures++;
        }
    }
    if (failures) {
        std::fprintf(stderr, "tb_core: rerun with --seed %" PRIu64 "\n", o.seed);
        return 1;
    }
    std::printf("tb_core: PASS\n");
    return 0;
}
