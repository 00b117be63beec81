#!/usr/bin/env bash
# Set up, build, and run every test (unit, fixtures, end-to-end, dogfood).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd "${BUILD_DIR:-build}"
exec ctest --output-on-failure -j "$(nproc)" "$@"
