# Shared by bench/run.sh and bench/dup.sh (sourced, not run): installs the peers that are missing,
# builds the corpora, and times one command at a time.
#
# Environment:
#   CQ             the cq binary (default: build/cli/cq; built by scripts/setup.sh when missing)
#   BENCH_TIMEOUT  seconds allowed to each measured command (default 600)
#   BENCH_RESULTS  where the raw outputs and results.tsv go (default bench/results/<date>-<name>)

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
PEERS="$BENCH_DIR/.peers"
NODE_BIN="$PEERS/node_modules/.bin"
CORPORA="$BENCH_DIR/corpora"
CQ=${CQ:-$REPO_DIR/build/cli/cq}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
# Runs shorter than BENCH_REPEAT_UNDER seconds of CPU are run BENCH_REPEAT times in all and the
# run with the least CPU time is kept (bench/timeit.cpp); longer ones once.
BENCH_REPEAT=${BENCH_REPEAT:-3}
BENCH_REPEAT_UNDER=${BENCH_REPEAT_UNDER:-20}
TIMEIT="$PEERS/timeit"
# A file that large is no reason to skip anything here: typescript.js is 9 MB, sqlite3.c 9 MB.
CQ_MAX_FILE_SIZE=200000000

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# --- peers -----------------------------------------------------------------------------------

install_debian_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# npm peers, pinned by bench/package.json + bench/package-lock.json, installed into bench/.peers
# (git-ignored) with --ignore-scripts: nothing is compiled, better-sqlite3 is only a source of
# sqlite3.c. jscpd 5 is a Rust binary shipped in the platform package jscpd-linux-x64-gnu.
install_npm_peers() {
  # Node and npm only from Debian when there are none (a machine may have NodeSource's nodejs,
  # which bundles npm and conflicts with Debian's npm package).
  command -v node >/dev/null 2>&1 || install_debian_packages nodejs
  command -v npm >/dev/null 2>&1 || install_debian_packages npm
  mkdir -p "$PEERS"
  if [ ! -f "$PEERS/node_modules/.package-lock.json" ] \
     || ! cmp -s "$BENCH_DIR/package-lock.json" "$PEERS/package-lock.json" \
     || ! cmp -s "$BENCH_DIR/package.json" "$PEERS/package.json"; then
    log "installing npm peers into bench/.peers (npm ci --ignore-scripts)"
    cp "$BENCH_DIR/package.json" "$BENCH_DIR/package-lock.json" "$PEERS/"
    (cd "$PEERS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  fi
}

ensure_cq() {
  if [ ! -x "$CQ" ]; then
    log "no cq at $CQ: building it with scripts/setup.sh"
    bash "$REPO_DIR/scripts/setup.sh" >&2
  fi
  [ -x "$CQ" ] || die "no cq binary at $CQ"
}

# --- corpora ---------------------------------------------------------------------------------
# Real code that nobody here wrote, copied into bench/corpora (git-ignored). Each corpus is built
# once; delete bench/corpora to rebuild. A corpus directory is complete when its .done file exists.

corpus_python() {
  local dst="$CORPORA/python-stdlib" src
  [ -f "$dst/.done" ] && return 0
  src=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  log "corpus python-stdlib: the .py files of $src (without site-packages)"
  rm -rf "$dst" && mkdir -p "$dst"
  (cd "$src" && find . \( -name site-packages -o -name dist-packages -o -name __pycache__ \) -prune \
       -o -type f -name '*.py' -print0 | tar --null -T - -cf - | tar -xf - -C "$dst")
  echo "$src" >"$dst/.done"
}

corpus_js() {
  local ts="$CORPORA/ts-lib" lodash="$CORPORA/lodash"
  if [ ! -f "$ts/.done" ]; then
    log "corpus ts-lib: typescript/lib (*.js, *.d.ts) from npm"
    rm -rf "$ts" && mkdir -p "$ts"
    cp "$PEERS"/node_modules/typescript/lib/*.js "$PEERS"/node_modules/typescript/lib/*.d.ts "$ts/"
    echo "typescript@$(node -p 'require(process.argv[1]).version' "$PEERS/node_modules/typescript/package.json")" >"$ts/.done"
  fi
  if [ ! -f "$lodash/.done" ]; then
    # The minified builds are left out: cq skips minified files by design and they are not code
    # anybody reviews.
    log "corpus lodash: the lodash package from npm, without *.min.js"
    rm -rf "$lodash" && mkdir -p "$lodash"
    (cd "$PEERS/node_modules/lodash" && find . -type f -name '*.js' ! -name '*.min.js' -print0 \
       | tar --null -T - -cf - | tar -xf - -C "$lodash")
    echo "lodash@$(node -p 'require(process.argv[1]).version' "$PEERS/node_modules/lodash/package.json")" >"$lodash/.done"
  fi
}

corpus_sqlite() {
  local dst="$CORPORA/sqlite"
  [ -f "$dst/.done" ] && return 0
  log "corpus sqlite: sqlite3.c amalgamation from better-sqlite3's deps/"
  rm -rf "$dst" && mkdir -p "$dst"
  cp "$PEERS"/node_modules/better-sqlite3/deps/sqlite3/sqlite3.{c,h} "$dst/"
  python3 "$BENCH_DIR/gen_compile_commands.py" sqlite "$dst" >&2
  echo "better-sqlite3@$(node -p 'require(process.argv[1]).version' "$PEERS/node_modules/better-sqlite3/package.json")" >"$dst/.done"
}

corpus_googletest() {
  local dst="$CORPORA/googletest"
  [ -f "$dst/.done" ] && [ "$(cat "$dst/.tests" 2>/dev/null)" = "${BENCH_GOOGLETEST_TESTS:-0}" ] && return 0
  [ -d /usr/src/googletest ] || install_debian_packages googletest
  log "corpus googletest: /usr/src/googletest (Debian's googletest $(dpkg-query -W -f='${Version}' googletest))"
  rm -rf "$dst" && mkdir -p "$dst"
  cp -r /usr/src/googletest/googletest /usr/src/googletest/googlemock "$dst/"
  python3 "$BENCH_DIR/gen_compile_commands.py" googletest "$dst" >&2
  echo "${BENCH_GOOGLETEST_TESTS:-0}" >"$dst/.tests"
  echo "googletest $(dpkg-query -W -f='${Version}' googletest)" >"$dst/.done"
}

# An empty compilation database: with it cq reads C/C++ through its tree-sitter fallback.
empty_compile_db() {
  [ -f "$CORPORA/empty_compile_commands.json" ] || echo '[]' >"$CORPORA/empty_compile_commands.json"
  echo "$CORPORA/empty_compile_commands.json"
}

# Read every file of the corpora once, so that no measurement pays for the first read from disk.
warm_page_cache() {
  find "$CORPORA" -type f -print0 | xargs -0 cat >/dev/null
}

# --- measuring -------------------------------------------------------------------------------
# measure NAME DIR CMD...   runs CMD in DIR under GNU time and `timeout $BENCH_TIMEOUT`, stdout to
# $BENCH_RESULTS/NAME.out, stderr to NAME.err, and appends to results.tsv:
#   name  wall_s  user_s  sys_s  maxrss_kb  exit  load1
# maxrss is the largest resident set of any process of the command (Linux folds the children's
# peak into the waited-for process's rusage). Exit 124 means the timeout struck.
#   BENCH_ONLY=REGEX measures only the names that match (e.g. '^cq-|^floor-'); with BENCH_RESULTS
#   it lets the peers and cq be measured in separate runs into one report.
# The timer: microseconds where GNU time counts 10 ms steps, and the least CPU time of a few runs.
build_timeit() {
  if [ ! -x "$TIMEIT" ] || [ "$BENCH_DIR/timeit.cpp" -nt "$TIMEIT" ]; then
    mkdir -p "$PEERS"
    g++ -O2 -std=c++17 -o "$TIMEIT" "$BENCH_DIR/timeit.cpp" || die "cannot build bench/timeit.cpp"
  fi
}

measure() {
  local name=$1 dir=$2
  shift 2
  if [ -n "${BENCH_ONLY:-}" ] && ! [[ $name =~ $BENCH_ONLY ]]; then
    return 0
  fi
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  local cmd="$*"
  ((${#cmd} <= 240)) || cmd="${cmd:0:240} ..."
  log "$name: $cmd"
  local rc=0
  build_timeit
  (cd "$dir" && "$TIMEIT" "$BENCH_RESULTS/$name.time" "$BENCH_TIMEOUT" "$BENCH_REPEAT" "$BENCH_REPEAT_UNDER" \
      -- "$@" >"$BENCH_RESULTS/$name.out" 2>"$BENCH_RESULTS/$name.err") || rc=$?
  local t
  t=$(tail -n 1 "$BENCH_RESULTS/$name.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" $t "$rc" "$load" >>"$BENCH_RESULTS/results.tsv"
  log "$(awk -v n="$name" -v rc="$rc" '{printf "  %-28s wall %7.2fs  cpu %7.2fs  rss %8.1f MiB  exit %s", n, $1, $2 + $3, $4 / 1024, rc}' <<<"$t")"
  if [ "$rc" = 124 ]; then
    log "  $name hit the ${BENCH_TIMEOUT}s timeout"
  fi
  return 0
}

init_results() {
  local kind=$1
  BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results/$(date +%Y%m%d-%H%M%S)-$kind}
  mkdir -p "$BENCH_RESULTS"
  # A BENCH_RESULTS that already has results is added to (runs of some sections one after the
  # other, reported together).
  if [ -f "$BENCH_RESULTS/results.tsv" ]; then
    echo "more: $(date -u +%Y-%m-%dT%H:%M:%SZ), sections: ${*:2}" >>"$BENCH_RESULTS/machine.txt"
    return 0
  fi
  printf 'name\twall_s\tuser_s\tsys_s\tmaxrss_kb\texit\tload1\n' >"$BENCH_RESULTS/results.tsv"
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), sections: ${*:2}"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "cq: $("$CQ" --version 2>/dev/null | head -n1) at $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO_DIR" diff --quiet HEAD -- analyzer rules cli 2>/dev/null || echo ' (+ uncommitted changes)')"
  } >"$BENCH_RESULTS/machine.txt"
}
