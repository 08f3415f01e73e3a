// tb_flash: vn_flash alone.  Each case (argument) drives the register port as the
// firmware bus would and checks the array through the backdoor: NOR erase and program,
// their timing, errors, DATA reads advancing ADDR, and what a power cut leaves behind.
#include "Vvn_flash.h"
#include "verilated.h"
#include "vionic_regs.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>

namespace {

constexpr uint32_t SECTOR_WORDS = VN_FLASH_SECTOR_BYTES / 4;
constexpr uint32_t WORDS = VN_FLASH_SECTORS * SECTOR_WORDS;
enum { R_ADDR = 0, R_DATA = 1, R_CMD = 2, R_STATUS = 3, R_INFO = 4 };

int failures;
#define CHECK_EQ(a, b)                                                                        \
    do {                                                                                      \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);        \
        if (a_ != b_ && failures++ < 20)                                                      \
            std::fprintf(stderr, "%s:%d: %s == %s failed: 0x%llx != 0x%llx\n", __FILE__,      \
                         __LINE__, #a, #b, a_, b_);                                           \
    } while (0)

struct Tb {
    std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    std::unique_ptr<Vvn_flash> f{new Vvn_flash(ctx.get())};
    uint64_t cycles = 0;

    Tb() { reset(); }
    void idle()
    {
        f->reg_wr = 0; f->reg_rd = 0; f->reg_idx = 0; f->reg_wdata = 0;
        f->bd_we = 0; f->cut = 0;
    }
    void tick()
    {
        f->clk = 0; f->eval();
        f->clk = 1; f->eval();
        cycles++;
        idle();
        f->clk = 0; f->eval();
    }
    void reset()
    {
        idle();
        f->rst_n = 0;
        tick(); tick();
        f->rst_n = 1;
        f->eval();
    }
    void wr(int idx, uint32_t v) { f->reg_wr = 1; f->reg_idx = idx; f->reg_wdata = v; tick(); }
    uint32_t rd(int idx)
    {
        f->reg_rd = 1; f->reg_idx = idx; f->eval();
        uint32_t v = f->reg_rdata;
        tick();
        return v;
    }
    uint32_t peek(int idx) { f->reg_idx = idx; f->eval(); uint32_t v = f->reg_rdata; f->reg_idx = 0; return v; }
    void bd_write(uint32_t w, uint32_t v) { f->bd_we = 1; f->bd_widx = w; f->bd_wdata = v; tick(); }
    uint32_t bd_read(uint32_t w) { f->bd_widx = w; f->eval(); return f->bd_rdata; }
    bool busy() { return peek(R_STATUS) & VN_FLASH_STATUS_BUSY; }
    bool error() { return peek(R_STATUS) & VN_FLASH_STATUS_ERROR; }
    uint64_t wait_idle()
    {
        uint64_t n = 0;
        while (busy() && n < 10u * VN_FLASH_ERASE_CYCLES) { tick(); n++; }
        return n;
    }
    // fills the whole array with a pattern that differs word to word
    void fill(uint32_t seed)
    {
        for (uint32_t w = 0; w < WORDS; w++) bd_write(w, pattern(seed, w));
    }
    static uint32_t pattern(uint32_t seed, uint32_t w) { return (w * 0x9e3779b9u) ^ seed; }
};

void t_info()
{
    Tb t;
    uint32_t info = t.peek(R_INFO);
    CHECK_EQ(info & 0xffff, VN_FLASH_SECTORS);
    CHECK_EQ(info >> 16, VN_FLASH_SECTOR_BYTES / 1024);
    CHECK_EQ(t.peek(R_STATUS), 0);
    t.bd_write(5, 0x12345678);
    t.bd_write(WORDS - 1, 0xcafef00d);
    CHECK_EQ(t.bd_read(5), 0x12345678);
    CHECK_EQ(t.bd_read(WORDS - 1), 0xcafef00d);
    t.reset();   // the array is not cleared by reset
    CHECK_EQ(t.bd_read(5), 0x12345678);
    CHECK_EQ(t.bd_read(WORDS - 1), 0xcafef00d);
}

void t_read()
{
    Tb t;
    t.fill(0x1111);
    t.wr(R_ADDR, VN_FLASH_SLOT_B + 0x10 + 3);   // low bits dropped: word aligned
    CHECK_EQ(t.peek(R_ADDR), VN_FLASH_SLOT_B + 0x10);
    for (uint32_t i = 0; i < 8; i++)
        CHECK_EQ(t.rd(R_DATA), Tb::pattern(0x1111, (VN_FLASH_SLOT_B + 0x10) / 4 + i));
    CHECK_EQ(t.peek(R_ADDR), VN_FLASH_SLOT_B + 0x10 + 32);
    CHECK_EQ(t.error(), 0);
}

void t_erase()
{
    Tb t;
    t.fill(0x2222);
    uint32_t sec = 33;
    t.wr(R_ADDR, sec * VN_FLASH_SECTOR_BYTES + 0x124);   // any address inside the sector
    t.wr(R_CMD, VN_FLASH_CMD_ERASE);
    CHECK_EQ(t.busy(), 1);
    uint64_t n = t.wait_idle();
    CHECK_EQ(n, VN_FLASH_ERASE_CYCLES);
    CHECK_EQ(t.error(), 0);
    for (uint32_t w = 0; w < WORDS; w++) {
        bool in = w / SECTOR_WORDS == sec;
        CHECK_EQ(t.bd_read(w), in ? 0xffffffffu : Tb::pattern(0x2222, w));
    }
}

void t_program()
{
    Tb t;
    t.fill(0x3333);
    uint32_t a = VN_FLASH_BOOTCFG1 + 8;
    t.wr(R_ADDR, a);
    t.wr(R_DATA, 0x0f0f0f0f);
    t.wr(R_CMD, VN_FLASH_CMD_PROGRAM);
    CHECK_EQ(t.peek(R_ADDR), a + 4);   // advanced at once, so the next word can follow
    CHECK_EQ(t.wait_idle(), VN_FLASH_PROGRAM_CYCLES);
    CHECK_EQ(t.bd_read(a / 4), Tb::pattern(0x3333, a / 4) & 0x0f0f0f0f);   // AND, never sets
    CHECK_EQ(t.bd_read(a / 4 + 1), Tb::pattern(0x3333, a / 4 + 1));
    // an erased word takes the data as it is; programming it again only clears bits
    t.bd_write(a / 4 + 1, 0xffffffff);
    t.wr(R_DATA, 0xa5a5a5a5);
    t.wr(R_CMD, VN_FLASH_CMD_PROGRAM);
    t.wait_idle();
    CHECK_EQ(t.bd_read(a / 4 + 1), 0xa5a5a5a5);
    t.wr(R_ADDR, a + 4);
    t.wr(R_DATA, 0xffff0000);
    t.wr(R_CMD, VN_FLASH_CMD_PROGRAM);
    t.wait_idle();
    CHECK_EQ(t.bd_read(a / 4 + 1), 0xa5a50000);
    CHECK_EQ(t.error(), 0);
}

void t_errors()
{
    Tb t;
    t.fill(0x4444);
    // out of range: error, nothing changes, not busy
    t.wr(R_ADDR, VN_FLASH_SECTORS * VN_FLASH_SECTOR_BYTES);
    t.wr(R_DATA, 0);
    t.wr(R_CMD, VN_FLASH_CMD_PROGRAM);
    CHECK_EQ(t.busy(), 0);
    CHECK_EQ(t.error(), 1);
    t.wr(R_CMD, VN_FLASH_CMD_ERASE);
    CHECK_EQ(t.busy(), 0);
    CHECK_EQ(t.error(), 1);
    // unknown command
    t.wr(R_ADDR, 0);
    t.wr(R_CMD, 0x7);
    CHECK_EQ(t.error(), 1);
    CHECK_EQ(t.busy(), 0);
    // a good command clears the error
    t.wr(R_DATA, 0);
    t.wr(R_CMD, VN_FLASH_CMD_PROGRAM);
    CHECK_EQ(t.error(), 0);
    // a command while busy: error, ignored; the running one completes
    t.wr(R_ADDR, VN_FLASH_SECTOR_BYTES);
    t.wr(R_CMD, VN_FLASH_CMD_ERASE);
    CHECK_EQ(t.error(), 1);
    CHECK_EQ(t.wait_idle() + 2, VN_FLASH_PROGRAM_CYCLES);
    CHECK_EQ(t.bd_read(0), 0);
    for (uint32_t w = 0; w < 2 * SECTOR_WORDS; w++)
        if (w) CHECK_EQ(t.bd_read(w), Tb::pattern(0x4444, w));
    for (uint32_t w = 0; w < WORDS; w++)
        if (w) CHECK_EQ(t.bd_read(w), Tb::pattern(0x4444, w));
}

// a cut k cycles into an erase leaves exactly the first floor(k * words / cycles) words
// erased and the rest as they were; the part is idle and takes commands again
void t_cut_erase(uint32_t seed)
{
    Tb t;
    std::mt19937 rng(seed);
    uint32_t ks[] = {0, 1, 24, 25, 1000, VN_FLASH_ERASE_CYCLES / 2, VN_FLASH_ERASE_CYCLES - 1,
                     uint32_t(rng() % VN_FLASH_ERASE_CYCLES), uint32_t(rng() % VN_FLASH_ERASE_CYCLES)};
    uint32_t sec = 65;
    for (uint32_t k : ks) {
        for (uint32_t w = 0; w < SECTOR_WORDS; w++) t.bd_write(sec * SECTOR_WORDS + w, Tb::pattern(k, w));
        t.wr(R_ADDR, sec * VN_FLASH_SECTOR_BYTES);
        t.wr(R_CMD, VN_FLASH_CMD_ERASE);
        for (uint32_t i = 0; i < k; i++) t.tick();
        t.f->cut = 1;
        t.tick();
        CHECK_EQ(t.busy(), 0);
        uint32_t expect = uint32_t(uint64_t(k) * SECTOR_WORDS / VN_FLASH_ERASE_CYCLES);
        uint32_t erased = 0;
        for (uint32_t w = 0; w < SECTOR_WORDS; w++) {
            uint32_t v = t.bd_read(sec * SECTOR_WORDS + w);
            if (w < expect) CHECK_EQ(v, 0xffffffffu);
            else CHECK_EQ(v, Tb::pattern(k, w));
            erased += v == 0xffffffffu;
        }
        std::printf("cut %u cycles into an erase: %u of %u words erased\n", k, erased, SECTOR_WORDS);
    }
    // after a cut the part works again, and a reset mid-erase counts as a cut
    for (uint32_t w = 0; w < SECTOR_WORDS; w++) t.bd_write(sec * SECTOR_WORDS + w, Tb::pattern(7, w));
    t.wr(R_ADDR, sec * VN_FLASH_SECTOR_BYTES);
    t.wr(R_CMD, VN_FLASH_CMD_ERASE);
    for (int i = 0; i < 5000; i++) t.tick();
    t.reset();
    CHECK_EQ(t.busy(), 0);
    CHECK_EQ(t.bd_read(sec * SECTOR_WORDS + 5000 * SECTOR_WORDS / VN_FLASH_ERASE_CYCLES + 1),
             Tb::pattern(7, 5000 * SECTOR_WORDS / VN_FLASH_ERASE_CYCLES + 1));
    CHECK_EQ(t.bd_read(sec * SECTOR_WORDS), 0xffffffffu);
    t.wr(R_ADDR, sec * VN_FLASH_SECTOR_BYTES);
    t.wr(R_CMD, VN_FLASH_CMD_ERASE);
    CHECK_EQ(t.wait_idle(), VN_FLASH_ERASE_CYCLES);
    for (uint32_t w = 0; w < SECTOR_WORDS; w++) CHECK_EQ(t.bd_read(sec * SECTOR_WORDS + w), 0xffffffffu);
}

void t_cut_program()
{
    Tb t;
    for (uint32_t k = 0; k < VN_FLASH_PROGRAM_CYCLES; k++) {
        t.bd_write(100, 0xffffffff);
        t.wr(R_ADDR, 400);
        t.wr(R_DATA, 0x12345678);
        t.wr(R_CMD, VN_FLASH_CMD_PROGRAM);
        for (uint32_t i = 0; i < k; i++) t.tick();
        t.f->cut = 1;
        t.tick();
        CHECK_EQ(t.busy(), 0);
        CHECK_EQ(t.bd_read(100), 0xffffffffu);
    }
    t.wr(R_ADDR, 400);
    t.wr(R_CMD, VN_FLASH_CMD_PROGRAM);
    t.wait_idle();
    CHECK_EQ(t.bd_read(100), 0x12345678);
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 2 || !std::strcmp(argv[1], "--help")) {
        std::printf("usage: tb_flash CASE [SEED]\ncases: info read erase program errors "
                    "cut-erase cut-program\nvn_flash under test; exit 0 when the case passes\n");
        return argc < 2 ? 2 : 0;
    }
    std::string c = argv[1];
    uint32_t seed = argc > 2 ? uint32_t(std::strtoul(argv[2], nullptr, 0)) : std::random_device{}();
    if (c == "info") t_info();
    else if (c == "read") t_read();
    else if (c == "erase") t_erase();
    else if (c == "program") t_program();
    else if (c == "errors") t_errors();
    else if (c == "cut-erase") { std::printf("seed %u\n", seed); t_cut_erase(seed); }
    else if (c == "cut-program") t_cut_program();
    else {
        std::fprintf(stderr, "tb_flash: unknown case %s\n", c.c_str());
        return 2;
    }
    std::printf("tb_flash %s: %s\n", c.c_str(), failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
