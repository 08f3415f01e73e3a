#!/usr/bin/env bash
# The whole test suite: builds with ASan + UBSan (build-asan/) and runs every ctest test;
# then builds the model with 64 queue pairs (build-64/, optimised: the Verilated model is
# the same source with QP=64) and runs the negotiation matrix on 1, 4 and 64 pairs, RSS
# over 64 pairs and the demo on every pair.  Extra arguments go to ctest (e.g. -L sim,
# -R demo, -V); VIONIC_SKIP_64=1 leaves the 64-pair part out.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan
cmake --build --preset asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --preset asan "$@"

if [ "${VIONIC_SKIP_64:-0}" != 1 ]; then
  echo "run-tests: 64 queue pairs (build-64/)"
  cmake -S . -B build-64 -DVIONIC_QUEUE_PAIRS=64 -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
  cmake --build build-64 -j2 --target vionic-sim
  build-64/bin/vionic-sim --scenario matrix --packets 640 --seed 21
  build-64/bin/vionic-sim --scenario rss --queues 64 --packets 1000 --seed 22
  build-64/bin/vionic-sim --queues 64 --packets 12800 --seed 23
fi
