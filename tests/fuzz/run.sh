#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang-16 (ASan + UBSan + coverage) and runs each for
# a fixed budget. A crash leaves its input in tests/fuzz/regressions/<target>/ (commit it once
# fixed: every ctest run replays those through the same entry points).
#   FUZZ_SECONDS (default 60)   FUZZ_JOBS (default 1)   BUILD_DIR (default build-fuzz)
#   FUZZ_TARGETS (default: all) e.g. "config custom-rule"
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"treesitter-python treesitter-javascript treesitter-typescript treesitter-tsx treesitter-c treesitter-cpp clang-c clang-cpp config custom-rule lexer-python lexer-javascript lexer-typescript lexer-c lexer-cpp"}

# clang-16 and libFuzzer (libclang-rt-16-dev); the rest comes with scripts/setup.sh's packages.
for p in clang-16 libclang-rt-16-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends clang-16 libclang-rt-16-dev
    break
  fi
done
if [ ! -f node_modules/.package-lock.json ]; then
  bash scripts/setup.sh  # the grammars and the other Debian packages (also builds build/)
fi

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  CC=clang-16 CXX=clang++-16 cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCQ_FUZZ=ON -DCQ_BUILD_TESTS=OFF
fi
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
names=()
for t in $TARGETS; do names+=("fuzz_${t//-/_}"); done
cmake --build "$BUILD_DIR" -j "${FUZZ_BUILD_JOBS:-2}" --target "${names[@]}"

# Leaks count as crashes (LeakSanitizer needs ptrace: where it is not allowed, run with
# ASAN_OPTIONS=detect_leaks=0:abort_on_error=1).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in $TARGETS; do
  exe="$BUILD_DIR/tests/fuzz/fuzz_${t//-/_}"
  corpus="$BUILD_DIR/fuzz-corpus/$t"
  crashes="tests/fuzz/regressions/$t"
  mkdir -p "$corpus" "$crashes"
  # seeds: the fixtures of the language, the regressions, and the repository's own samples
  seeds=("$crashes")
  case $t in
    treesitter-python|lexer-python) seeds+=(tests/fixtures/python) ;;
    treesitter-javascript|lexer-javascript) seeds+=(tests/fixtures/javascript) ;;
    treesitter-typescript|treesitter-tsx|lexer-typescript) seeds+=(tests/fixtures/typescript) ;;
    treesitter-c|clang-c|lexer-c) seeds+=(tests/fixtures/c) ;;
    treesitter-cpp|clang-cpp|lexer-cpp) seeds+=(tests/fixtures/cpp) ;;
    config) seeds+=(tests/fuzz/seeds/config) ;;
    custom-rule) seeds+=(tests/fuzz/seeds/custom-rule) ;;
  esac
  echo "== $t (${SECONDS_EACH}s)"
  if ! "$exe" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" "${seeds[@]}" 2>"$BUILD_DIR/fuzz-$t.log"; then
    echo "!! $t: crash; input saved under $crashes/ (log: $BUILD_DIR/fuzz-$t.log)"
    tail -40 "$BUILD_DIR/fuzz-$t.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$BUILD_DIR/fuzz-$t.log" | tail -2 || true
  fi
done
exit $status
