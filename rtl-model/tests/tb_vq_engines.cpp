// tb_vq_engines: main of vq_engines_tb.  Runs the scenarios (split rings: tb_vq_split.cpp,
// packed rings: tb_vq_packed.cpp; the harness is in vq_tb.h) in a fixed order, or only those
// whose names contain one of the arguments; VQ_TB_SEED sets the seed.  Ends with modeled
// cycles per packet.
#include "vq_tb.h"

using namespace vqtb;

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    // optional arguments: run only the scenarios whose names contain one of them
    std::vector<std::string> only;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::printf("usage: vq_engines_tb [NAME...]\n"
                        "Directed and randomised scenarios for the queue engines (vq_engines) on their own\n"
                        "ports: all of them, or those whose names contain a NAME. Environment:\n"
                        "  VQ_TB_SEED=N      seed (printed first; a failure replays with it)\n"
                        "  VQ_TB_SQUEEZE=F   make every ready signal rarer (0 < F < 1), for exploration\n"
                        "  VQ_TB_SNAP=P      reads see memory as at acceptance with probability P (the\n"
                        "                    scenarios that set their own keep it)\n"
                        "  TB_TRACE=1        print every read, write and used descriptor\n");
            return 0;
        }
        if (!a.empty() && a[0] != '+') only.push_back(a);
    }
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
        {"pk_loop", pk_loop},
        {"perf_tx", [] {
             for (unsigned len : {64u, 128u, 256u, 1518u}) perf_tx(len);
             perf_tx(1518, 2500);
         }},
        {"perf_rx", [] {
             for (unsigned len : {64u, 128u, 256u, 1518u}) perf_rx(len);
             perf_rx(1518, 2500);
         }},
    };
    unsigned ran = 0;
    for (auto &s : scenarios) {
        bool want = only.empty();
        for (auto &o : only) want |= std::string(s.first).find(o) != std::string::npos;
        if (want) { s.second(); ran++; }
    }
    if (ran == 0) {
        std::fprintf(stderr, "vq_engines_tb: no scenario matches (--help)\n");
        return 2;
    }
    if (g_failures) {
        std::fprintf(stderr, "vq_engines_tb: %d check(s) failed\n", g_failures);
        return 1;
    }
    std::printf("vq_engines_tb: all checks passed\n");
    return 0;
}
