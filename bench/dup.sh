#!/usr/bin/env bash
# Duplication bench: cq's duplication/block against jscpd 4 (TypeScript, npm `jscpd`) and jscpd 5
# (its Rust rewrite, the npm platform package `jscpd-linux-x64-gnu`) on the corpora of
# bench/run.sh, at equal settings (blocks of at least 100 tokens and 10 lines), with the overlap
# of the clones found, both ways, and the time and peak memory of each. See bench/README.md.
#
#   bash bench/dup.sh                  every corpus (python ts lodash sqlite googletest)
#   bash bench/dup.sh lodash sqlite    some of them
#
# Skips (exit 0, with a message) while `cq rules` has no duplication/block.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CORPUS_NAMES=(python ts lodash sqlite googletest)
if (($#)); then CORPUS_NAMES=("$@"); fi
declare -A DIRS=([python]=python-stdlib [ts]=ts-lib [lodash]=lodash [sqlite]=sqlite [googletest]=googletest)
for c in "${CORPUS_NAMES[@]}"; do
  [ -n "${DIRS[$c]:-}" ] || die "unknown corpus '$c' (python ts lodash sqlite googletest)"
done

install_debian_packages g++
install_npm_peers
ensure_cq
if ! "$CQ" rules --format json 2>/dev/null | grep -q '"duplication/block"' \
   && ! "$CQ" rules 2>/dev/null | grep -q 'duplication/block'; then
  log "cq has no duplication/block rule yet ($("$CQ" rules 2>/dev/null | tail -n 1)): nothing to compare, skipping"
  exit 0
fi

corpus_python
corpus_js
corpus_sqlite
corpus_googletest
EMPTY_DB=$(empty_compile_db)

init_results dup "${CORPUS_NAMES[@]}"
log "results in $BENCH_RESULTS"
warm_page_cache
R=$BENCH_RESULTS

MIN_TOKENS=100
MIN_LINES=10
FORMATS=python,javascript,jsx,typescript,tsx,c,c-header,cpp,cpp-header
JSCPD4="$NODE_BIN/jscpd"
JSCPD5="$PEERS/node_modules/jscpd-linux-x64-gnu/bin/jscpd"
[ -x "$JSCPD5" ] || die "jscpd 5 binary missing at $JSCPD5"
export GIT_CEILING_DIRECTORIES="$CORPORA"  # see run.sh: cq must walk the git-ignored corpora

for c in "${CORPUS_NAMES[@]}"; do
  D=$CORPORA/${DIRS[$c]}
  # C and C++ through cq's tree-sitter token stream (an empty compilation database): this bench
  # times clone detection; what libclang adds is measured by run.sh.
  measure "cq-$c" "$D" "$CQ" scan . --rules duplication/block \
    --set "duplication/block.min_tokens=$MIN_TOKENS" --set "duplication/block.min_lines=$MIN_LINES" \
    --compile-commands "$EMPTY_DB" --format json -q --no-history --max-file-size "$CQ_MAX_FILE_SIZE" -o "$R/cq-$c.json"
  # jscpd 4: -x is the largest file it reads, in lines (default 1000), -z in bytes (100kb).
  measure "jscpd4-$c" "$D" "$JSCPD4" . --min-tokens "$MIN_TOKENS" --min-lines "$MIN_LINES" \
    --max-lines 100000000 --max-size 200mb --format "$FORMATS" --reporters json --output "$R/jscpd4-$c" \
    --silent --noTips
  # jscpd 5, exact clones (its default, like jscpd 4) and with identifiers and literals ignored
  # (Type-2 clones, what cq also finds).
  measure "jscpd5-$c" "$D" "$JSCPD5" . --min-tokens "$MIN_TOKENS" --min-lines "$MIN_LINES" \
    --max-size 200mb --no-gitignore --format "$FORMATS" --reporters json --output "$R/jscpd5-$c"
  measure "jscpd5t2-$c" "$D" "$JSCPD5" . --min-tokens "$MIN_TOKENS" --min-lines "$MIN_LINES" \
    --max-size 200mb --no-gitignore --format "$FORMATS" --ignore-identifiers --ignore-literals \
    --reporters json --output "$R/jscpd5t2-$c"
done

python3 "$BENCH_DIR/dup_report.py" "$R" "${CORPUS_NAMES[@]}" | tee "$R/summary.md"
log "raw results: $R"
