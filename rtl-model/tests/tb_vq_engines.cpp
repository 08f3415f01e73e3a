// tb_vq_engines: main of vq_engines_tb.  Runs the scenarios (split rings: tb_vq_split.cpp,
// packed rings: tb_vq_packed.cpp; the harness is in vq_tb.h) in a fixed order, or only those
// whose name contains the first argument; VQ_TB_SEED sets the seed.  Ends with modeled
// cycles per packet.
#include "vq_tb.h"

using namespace vqtb;

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
    for (auto &s : scenarios)
        if (only.empty() || std::string(s.first).find(only) != std::string::npos) s.second();
    if (g_failures) {
        std::fprintf(stderr, "vq_engines_tb: %d check(s) failed\n", g_failures);
        return 1;
    }
    std::printf("vq_engines_tb: all checks passed\n");
    return 0;
}
