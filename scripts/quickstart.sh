#!/usr/bin/env bash
# Quick start: install what is missing, build (build/), run the default simulation demo.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset default
cmake --build --preset default
exec ./build/bin/vionic-sim "$@"
