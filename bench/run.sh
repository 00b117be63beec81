#!/usr/bin/env bash
# Times cq against its peers, side by side in one run, on real code from the registries, and
# checks the speed targets of the foundation issue. See bench/README.md.
#
#   bash bench/run.sh                  everything (about 15-20 minutes on 2 cores)
#   bash bench/run.sh python ts        only some sections: python ts lodash sqlite googletest
#
# Installs what is missing (Debian: radon cppcheck clang-tidy-16 clang-16 time; npm: the pinned
# peers of bench/package.json into bench/.peers), builds the corpora into bench/corpora, measures
# one command at a time (never two at once: the machine has 2 cores), and writes
# bench/results/<date>-speed/{results.tsv,summary.md} plus every command's output.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SECTIONS=(python ts lodash sqlite googletest)
if (($#)); then SECTIONS=("$@"); fi
want() { local s; for s in "${SECTIONS[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
for s in "${SECTIONS[@]}"; do
  case $s in python|ts|lodash|sqlite|googletest) ;; *) die "unknown section '$s' (python ts lodash sqlite googletest)" ;; esac
done

# --- set-up ----------------------------------------------------------------------------------
install_debian_packages radon cppcheck clang-tidy-16 clang-16 g++ libtree-sitter-dev googletest
install_npm_peers
ensure_cq

corpus_python
corpus_js
corpus_sqlite
corpus_googletest
EMPTY_DB=$(empty_compile_db)

# The tree-sitter floor links Debian's libtree-sitter and the same grammar sources cq compiles
# (the npm packages of the repository's package.json): the static libraries of cq's build
# directory when they are there, else its own -O2 compile of their parser.c and scanner.c.
TS_FLOOR="$PEERS/ts_parse_floor"
build_ts_floor() {
  local libs=() g missing=0
  for g in python javascript typescript_typescript typescript_tsx c cpp; do
    local a="$REPO_DIR/build/libcq_grammar_tree_sitter_${g}_src.a"
    if [ -f "$a" ]; then libs+=("$a"); else missing=1; fi
  done
  if ((missing)); then
    libs=()
    [ -d "$REPO_DIR/node_modules/tree-sitter-cpp" ] || (cd "$REPO_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
    mkdir -p "$PEERS/grammars"
    local src
    for src in python javascript typescript/typescript typescript/tsx c cpp; do
      local dir="$REPO_DIR/node_modules/tree-sitter-$src" f
      for f in "$dir"/src/parser.c "$dir"/src/scanner.c; do
        [ -f "$f" ] || continue
        local o="$PEERS/grammars/$(echo "$src" | tr / _)_$(basename "$f" .c).o"
        [ "$o" -nt "$f" ] || gcc -O2 -w -c -I"$dir/src" "$f" -o "$o"
        libs+=("$o")
      done
    done
  fi
  if [ ! -x "$TS_FLOOR" ] || [ "$BENCH_DIR/ts_parse_floor.cpp" -nt "$TS_FLOOR" ]; then
    log "building bench/.peers/ts_parse_floor"
    g++ -O2 -std=c++17 -o "$TS_FLOOR" "$BENCH_DIR/ts_parse_floor.cpp" "${libs[@]}" -ltree-sitter
  fi
}
build_ts_floor

init_results speed "${SECTIONS[@]}"
log "results in $BENCH_RESULTS"
warm_page_cache

R=$BENCH_RESULTS
# --no-history: no incremental cache (ROOT/.cq), every run analyzes every file from scratch.
CQ_ARGS=(--format json -q --no-history --max-file-size "$CQ_MAX_FILE_SIZE")
ESLINT=("$NODE_BIN/eslint" -c "$BENCH_DIR/eslint.config.mjs" --format json)
TIDY_CHECKS=(--checks='-*,readability-function-cognitive-complexity'
             --config='{CheckOptions: [{key: readability-function-cognitive-complexity.Threshold, value: 15}]}')
# cq's discovery lists the files git knows when the scan root is inside a work tree, and
# bench/corpora is git-ignored: stop git's search for a repository at bench/corpora so that cq
# walks the corpus directory instead.
export GIT_CEILING_DIRECTORIES="$CORPORA"

# The list of files cq read through tree-sitter, from its JSON report: the floor parses the same.
ts_files_of() {
  python3 - "$1" <<'EOF'
import json, sys
for f in json.load(open(sys.argv[1]))["files"]:
    if f.get("front_end", "tree-sitter").startswith("tree-sitter"):
        print(f["path"])
EOF
}

# floor NAME DIR CQ_JSON: the whole-scan report CQ_JSON names the files; parse them alone.
floor() {
  local name=$1 dir=$2 json=$3
  if [ -n "${BENCH_ONLY:-}" ] && ! [[ $name =~ $BENCH_ONLY ]]; then return 0; fi
  [ -f "$json" ] || { log "$name: no cq report $json, no floor"; return 0; }
  ts_files_of "$json" >"$R/$name.files"
  measure "$name" "$dir" "$TS_FLOOR" "$R/$name.files" .
}

# (a) Python standard library: cq complexity vs radon cc; the whole scan vs the tree-sitter floor.
if want python; then
  D=$CORPORA/python-stdlib
  measure cq-python "$D" "$CQ" scan . --rules complexity "${CQ_ARGS[@]}" -o "$R/cq-python.json"
  measure radon-python "$D" radon cc -s -a .
  measure cq-full-python "$D" "$CQ" scan . "${CQ_ARGS[@]}" -o "$R/cq-full-python.json"
  floor floor-python "$D" "$R/cq-full-python.json"
fi

# (b) typescript's lib/ (JavaScript and .d.ts): cq vs eslint + sonarjs cognitive-complexity.
if want ts; then
  D=$CORPORA/ts-lib
  measure cq-ts "$D" "$CQ" scan . --rules complexity "${CQ_ARGS[@]}" -o "$R/cq-ts.json"
  measure eslint-ts "$D" "${ESLINT[@]}" -o "$R/eslint-ts.json" .
  measure cq-full-ts "$D" "$CQ" scan . "${CQ_ARGS[@]}" -o "$R/cq-full-ts.json"
  floor floor-ts "$D" "$R/cq-full-ts.json"
fi

if want lodash; then
  D=$CORPORA/lodash
  measure cq-lodash "$D" "$CQ" scan . --rules complexity "${CQ_ARGS[@]}" -o "$R/cq-lodash.json"
  measure eslint-lodash "$D" "${ESLINT[@]}" -o "$R/eslint-lodash.json" .
  measure cq-full-lodash "$D" "$CQ" scan . "${CQ_ARGS[@]}" -o "$R/cq-full-lodash.json"
  floor floor-lodash "$D" "$R/cq-full-lodash.json"
fi

# (c) sqlite3.c: cq through libclang (./compile_commands.json) vs clang -fsyntax-only (the floor),
# clang-tidy's cognitive complexity and cppcheck; cq's tree-sitter fallback vs its floor.
# cppcheck gets --max-configs=1: like the compilers it then checks the one configuration of the
# compile command, instead of up to 12 combinations of #ifdefs (which takes it past the timeout
# on googletest).
if want sqlite; then
  D=$CORPORA/sqlite
  measure cq-sqlite "$D" "$CQ" scan sqlite3.c --rules complexity "${CQ_ARGS[@]}" -o "$R/cq-sqlite.json"
  measure clang-sqlite "$D" sh syntax-only.sh
  measure clang-tidy-sqlite "$D" clang-tidy-16 -p . --quiet "${TIDY_CHECKS[@]}" sqlite3.c
  measure cppcheck-sqlite "$D" cppcheck -q --max-configs=1 --project=compile_commands.json
  measure cq-ts-sqlite "$D" "$CQ" scan sqlite3.c --compile-commands "$EMPTY_DB" "${CQ_ARGS[@]}" -o "$R/cq-ts-sqlite.json"
  floor floor-sqlite "$D" "$R/cq-ts-sqlite.json"
fi

# (d) googletest: cq through libclang (./compile_commands.json, one entry per .cc) vs
# clang -fsyntax-only on every entry, clang-tidy and cppcheck; per-file cq vs clang on a sample of
# translation units; cq's tree-sitter fallback vs its floor.
if want googletest; then
  D=$CORPORA/googletest
  mapfile -t CC_FILES < <(cd "$D" && python3 -c 'import json, os; [print(os.path.relpath(e["file"])) for e in json.load(open("compile_commands.json"))]')
  measure cq-googletest "$D" "$CQ" scan "${CC_FILES[@]}" --rules complexity "${CQ_ARGS[@]}" -o "$R/cq-googletest.json"
  measure clang-googletest "$D" sh syntax-only.sh
  measure clang-tidy-googletest "$D" clang-tidy-16 -p . --quiet "${TIDY_CHECKS[@]}" "${CC_FILES[@]}"
  measure cppcheck-googletest "$D" cppcheck -q --max-configs=1 --project=compile_commands.json
  for f in googletest/src/gtest-all.cc googlemock/src/gmock-all.cc googletest/samples/sample1_unittest.cc; do
    b=$(basename "$f" .cc)
    measure "file-cq-$b" "$D" "$CQ" scan "$f" --jobs 1 --rules complexity "${CQ_ARGS[@]}" -o "$R/file-cq-$b.json"
    measure "file-clang-$b" "$D" sh -c "grep -F -- '$D/$f ' syntax-only.sh | sh"
  done
  measure cq-ts-googletest "$D" "$CQ" scan . --compile-commands "$EMPTY_DB" "${CQ_ARGS[@]}" -o "$R/cq-ts-googletest.json"
  floor floor-googletest "$D" "$R/cq-ts-googletest.json"
fi

python3 "$BENCH_DIR/report.py" "$R" | tee "$R/summary.md"
log "raw results: $R"
