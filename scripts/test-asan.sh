#!/usr/bin/env bash
# Set up, build with AddressSanitizer + UndefinedBehaviorSanitizer (the `asan` preset: Debug,
# CQ_SANITIZE=ON, build-asan/) and run every test. Like scripts/test.sh it is safe to run again:
# the build is configured once and then built incrementally. Not part of .ci/run (time budget).
#   BUILD_DIR (default: build-asan)
#   ASAN_OPTIONS / UBSAN_OPTIONS: override the defaults below
# Arguments go to ctest (e.g. -R unit.config).
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD_DIR=${BUILD_DIR:-build-asan}

log() { printf '[test-asan] %s\n' "$*" >&2; }

# The same cache variables as the `asan` preset in CMakePresets.json.
CQ_BUILD_TYPE=Debug CQ_CMAKE_ARGS="-DCQ_SANITIZE=ON" bash scripts/setup.sh
if ! grep -q '^CQ_SANITIZE:BOOL=ON$' "$BUILD_DIR/CMakeCache.txt"; then
  log "$BUILD_DIR was configured without CQ_SANITIZE=ON: remove it or pick another BUILD_DIR"
  exit 2
fi

# UBSan must stop the test that hits it (the build also passes -fno-sanitize-recover=undefined),
# and ASan aborts so that ctest reports the test as failed whatever its exit code checks.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -z "${ASAN_OPTIONS:-}" ]; then
  # LeakSanitizer needs ptrace; some containers forbid it, and LSan then dies at exit of every
  # process. Probe once with the built binary and go on without leak checks if so.
  if ASAN_OPTIONS=detect_leaks=1 "$BUILD_DIR/cli/cq" --version 2>&1 >/dev/null |
       grep -q 'LeakSanitizer has encountered a fatal error'; then
    log "LeakSanitizer does not work here (ptrace restricted?): running with detect_leaks=0"
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  else
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  fi
fi
log "ASAN_OPTIONS=$ASAN_OPTIONS UBSAN_OPTIONS=$UBSAN_OPTIONS"
cd "$BUILD_DIR"
exec ctest --output-on-failure -j "$(nproc)" "$@"
