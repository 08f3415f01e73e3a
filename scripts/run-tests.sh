#!/usr/bin/env bash
# The whole test suite: builds with ASan + UBSan (build-asan/) and runs every ctest test.
# Extra arguments go to ctest (e.g. -L sim, -R demo, -V).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan
cmake --build --preset asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --preset asan "$@"
