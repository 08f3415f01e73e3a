// tb_boot: the boot ROM (vionic-boot.bin) on vn_rv32_core.  The memory model holds the
// core's map (vionic_regs.h VN_CORE_*): ROM, IMEM, DMEM, and in the CSR window
// FW_BOOT_STATUS and the FW_FLASH_* registers over a flash array loaded with images.
// Passes when the booted image reports (tohost) the expected value, or, with
// --expect-halt, when the ROM writes that boot status and then runs nothing from IMEM.
#include "Vvn_rv32_core.h"
#include "verilated.h"
#include "vionic_regs.h"
#include "tb_boot_img.h"

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

constexpr uint32_t TOHOST = 0xF0000000u;  // as tb_core and boot_test_payload.c
constexpr uint32_t FLASH_BYTES = VN_FLASH_SECTORS * VN_FLASH_SECTOR_BYTES;

struct Mem {
    std::vector<uint8_t> rom = std::vector<uint8_t>(VN_CORE_ROM_SIZE, 0);
    std::vector<uint8_t> imem = std::vector<uint8_t>(VN_CORE_IMEM_SIZE, 0);
    std::vector<uint8_t> dmem = std::vector<uint8_t>(VN_CORE_DMEM_SIZE, 0);
    std::vector<uint8_t> flash = std::vector<uint8_t>(FLASH_BYTES, 0xff);
    uint32_t flash_addr = 0, boot_status = VN_BOOT_SLOT_NONE;
    bool boot_status_written = false;
    uint64_t imem_fetches_after_status = 0;

    static uint8_t *in(std::vector<uint8_t> &v, uint32_t base, uint32_t a)
    {
        return a >= base && a - base + 4 <= v.size() ? &v[a - base] : nullptr;
    }
    // returns false on a bus error
    bool access(uint32_t a, bool we, uint32_t wdata, uint8_t strb, bool fetch, uint32_t *rdata)
    {
        uint8_t *p = nullptr;
        *rdata = 0;
        if ((p = in(rom, VN_CORE_ROM_BASE, a))) {
            if (we) return false;
        } else if ((p = in(imem, VN_CORE_IMEM_BASE, a))) {
            if (fetch && boot_status_written && (boot_status & 3) == VN_BOOT_SLOT_NONE)
                imem_fetches_after_status++;
        } else if ((p = in(dmem, VN_CORE_DMEM_BASE, a))) {
        } else if (a >= VN_CORE_CSR_BASE && a < VN_CORE_CSR_BASE + VN_FW_SIZE) {
            return csr(a - VN_CORE_CSR_BASE, we, wdata, rdata);
        } else {
            return false;
        }
        if (we) {
            for (int b = 0; b < 4; b++)
                if (strb >> b & 1) p[b] = uint8_t(wdata >> (8 * b));
        } else {
            std::memcpy(rdata, p, 4);
        }
        return true;
    }
    bool csr(uint32_t off, bool we, uint32_t wd, uint32_t *rd)
    {
        switch (off) {
        case VN_FW_FW_BOOT_STATUS:
            if (we) { boot_status = wd; boot_status_written = true; }
            *rd = boot_status;
            return true;
        case VN_FW_FLASH_ADDR:
            if (we) flash_addr = wd & ~3u;
            *rd = flash_addr;
            return true;
        case VN_FW_FLASH_DATA:
            if (!we) {
                if (flash_addr + 4 <= FLASH_BYTES) std::memcpy(rd, &flash[flash_addr], 4);
                else *rd = 0xffffffffu;
                flash_addr += 4;
            }
            return true;
        case VN_FW_FLASH_STATUS: *rd = 0; return true;   // never busy: the ROM only reads
        case VN_FW_FLASH_INFO:
            *rd = VN_FLASH_SECTORS | (VN_FLASH_SECTOR_BYTES / 1024) << 16;
            return true;
        default:
            return false;   // the ROM touches nothing else
        }
    }
};

std::vector<uint8_t> read_file(const std::string &path, size_t max)
{
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) {
        std::fprintf(stderr, "tb_boot: cannot open %s: %s\n", path.c_str(), std::strerror(errno));
        std::exit(2);
    }
    std::vector<uint8_t> v(max + 1);
    size_t n = std::fread(v.data(), 1, v.size(), f);
    std::fclose(f);
    if (n == 0 || n > max) {
        std::fprintf(stderr, "tb_boot: %s: %zu bytes, want 1..%zu\n", path.c_str(), n, max);
        std::exit(2);
    }
    v.resize(n);
    return v;
}

bool parse_u32(const char *s, uint32_t *out)
{
    char *end = nullptr;
    errno = 0;
    unsigned long v = std::strtoul(s, &end, 0);
    if (errno || !end || *end || !*s || s[0] == '-' || v > 0xffffffffu) return false;
    *out = uint32_t(v);
    return true;
}

void usage(FILE *f)
{
    std::fprintf(f,
        "usage: tb_boot --rom ROM.bin [options]\n"
        "Runs the boot ROM on vn_rv32_core with flash slots loaded from image files.\n"
        "  --slot-a IMG, --slot-b IMG   images in flash slot A / B (else erased)\n"
        "  --corrupt-a OFF, --corrupt-b OFF  flip a bit of the slot's byte OFF\n"
        "  --bootcfg A|B      a boot-config record naming that slot (else none)\n"
        "  --expect-tohost N  the booted image must report N (mark << 16 | boot status)\n"
        "  --expect-halt N    the ROM must write boot status N and jump nowhere\n"
        "  --max-wait N       random wait states up to N per access (default 0)\n"
        "  --seed N           seed of the wait states (default random, printed)\n"
        "  --max-cycles N     give up after N cycles (default 50000000)\n");
}

}  // namespace

int main(int argc, char **argv)
{
    Mem m;
    std::string rom;
    bool want_tohost = false, want_halt = false;
    uint32_t expect = 0, max_wait = 0, max_cycles = 50000000, seed = std::random_device{}();
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--help") { usage(stdout); return 0; }
        if (i + 1 >= argc) { std::fprintf(stderr, "tb_boot: %s needs a value\n", a.c_str()); return 2; }
        const char *v = argv[++i];
        uint32_t n = 0;
        if (a == "--rom") rom = v;
        else if (a == "--slot-a" || a == "--slot-b") {
            auto img = read_file(v, VN_FLASH_SLOT_BYTES);
            uint32_t base = a == "--slot-a" ? VN_FLASH_SLOT_A : VN_FLASH_SLOT_B;
            std::memcpy(&m.flash[base], img.data(), img.size());
            if (tbimg_check(img.data(), img.size()) != 0)
                std::printf("tb_boot: note: %s is not a valid image\n", v);
        } else if ((a == "--corrupt-a" || a == "--corrupt-b") && parse_u32(v, &n) && n < VN_FLASH_SLOT_BYTES) {
            m.flash[(a == "--corrupt-a" ? VN_FLASH_SLOT_A : VN_FLASH_SLOT_B) + n] ^= 0x10;
        } else if (a == "--bootcfg" && (!std::strcmp(v, "A") || !std::strcmp(v, "B"))) {
            uint32_t w[4];
            tbimg_bootcfg(w, 7, v[0] == 'A' ? VN_BOOT_SLOT_A : VN_BOOT_SLOT_B);
            std::memcpy(&m.flash[tbimg_bootcfg_addr(1)], w, sizeof w);
        } else if (a == "--expect-tohost" && parse_u32(v, &expect)) want_tohost = true;
        else if (a == "--expect-halt" && parse_u32(v, &expect)) want_halt = true;
        else if (a == "--max-wait" && parse_u32(v, &max_wait) && max_wait <= 100) {}
        else if (a == "--seed" && parse_u32(v, &seed)) {}
        else if (a == "--max-cycles" && parse_u32(v, &max_cycles) && max_cycles) {}
        else { std::fprintf(stderr, "tb_boot: bad option or value: %s %s\n", a.c_str(), v); usage(stderr); return 2; }
    }
    if (rom.empty() || want_tohost == want_halt) {
        std::fprintf(stderr, "tb_boot: need --rom and one of --expect-tohost / --expect-halt\n");
        return 2;
    }
    auto r = read_file(rom, VN_CORE_ROM_SIZE);
    std::memcpy(m.rom.data(), r.data(), r.size());

    std::mt19937 rng(seed);
    auto ctx = std::make_unique<VerilatedContext>();
    auto top = std::make_unique<Vvn_rv32_core>(ctx.get());
    top->clk = 0; top->rst_n = 0; top->bus_ack = 0; top->bus_err = 0; top->bus_rdata = 0;
    for (int i = 0; i < 4; i++) { top->clk = 0; top->eval(); top->clk = 1; top->eval(); }
    top->rst_n = 1;

    bool done = false;
    uint32_t tohost = 0, wait = 0;
    uint64_t cyc = 0, status_cycle = 0, bus_errors = 0;
    for (; cyc < max_cycles && !done; cyc++) {
        top->clk = 0;
        top->eval();
        top->bus_ack = 0;
        top->bus_err = 0;
        if (top->bus_req) {
            if (wait) {
                wait--;
            } else {
                wait = max_wait ? rng() % (max_wait + 1) : 0;
                uint32_t a = top->bus_addr & ~3u, rd = 0;
                top->bus_ack = 1;
                if (a == TOHOST && top->bus_we) {
                    done = true;
                    tohost = top->bus_wdata;
                } else if (!m.access(a, top->bus_we, top->bus_wdata, top->bus_wstrb, top->bus_fetch, &rd)) {
                    top->bus_err = 1;
                    if (bus_errors++ < 5)
                        std::fprintf(stderr, "tb_boot: bus error at 0x%08x (%s)\n", a, top->bus_we ? "write" : "read");
                }
                top->bus_rdata = rd;
                if (m.boot_status_written && !status_cycle) status_cycle = cyc;
            }
        }
        // a halted ROM: the status is out; give it time to (wrongly) go anywhere else
        if (want_halt && status_cycle && cyc > status_cycle + 20000) break;
        top->eval();
        top->clk = 1;
        top->eval();
    }
    top->final();
    std::printf("tb_boot: boot status 0x%x written at cycle %" PRIu64 ", %s after %" PRIu64
                " cycles (%" PRIu64 " instructions), seed %u, max wait %u\n",
                m.boot_status, status_cycle, done ? "image reported" : "no report", cyc,
                uint64_t(top->dbg_instret), seed, max_wait);
    int fail = 0;
    if (want_tohost) {
        if (!done) { std::fprintf(stderr, "tb_boot: FAIL: the image never reported\n"); fail = 1; }
        else if (tohost != expect) {
            std::fprintf(stderr, "tb_boot: FAIL: tohost 0x%x, expected 0x%x\n", tohost, expect);
            fail = 1;
        }
    } else {
        if (!m.boot_status_written || m.boot_status != expect || done || m.imem_fetches_after_status) {
            std::fprintf(stderr, "tb_boot: FAIL: boot status 0x%x (%s), expected 0x%x and a halt; "
                         "%" PRIu64 " IMEM fetches after it\n", m.boot_status,
                         m.boot_status_written ? "written" : "never written", expect,
                         m.imem_fetches_after_status);
            fail = 1;
        }
    }
    if (bus_errors) { std::fprintf(stderr, "tb_boot: FAIL: %" PRIu64 " bus errors\n", bus_errors); fail = 1; }
    std::printf("tb_boot: %s\n", fail ? "FAIL" : "PASS");
    return fail;
}
