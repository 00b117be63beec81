#!/usr/bin/env bash
# The main job: set up, build, then scan samples/ and print the report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec "${BUILD_DIR:-build}/cli/cq" scan samples "$@"
