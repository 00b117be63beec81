#!/usr/bin/env python3
"""Summarize a bench/run.sh results directory as Markdown: every measurement, the ratios cq/peer
and the targets of the foundation issue, pass or fail.

  report.py RESULTS_DIR
"""
import collections
import json
import os
import re
import sys

R = sys.argv[1]


def load_results():
    rows = {}
    with open(os.path.join(R, "results.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            v = dict(zip(header, line.rstrip("\n").split("\t")))
            rows[v["name"]] = {
                "wall": float(v["wall_s"]), "cpu": float(v["user_s"]) + float(v["sys_s"]),
                "rss": float(v["maxrss_kb"]) / 1024.0, "exit": int(v["exit"]), "load": v["load1"],
            }
    return rows


ROWS = load_results()


def path(name, ext):
    return os.path.join(R, name + ext)


def read(name, ext):
    p = path(name, ext)
    if not os.path.exists(p):
        return ""
    with open(p, errors="replace") as f:
        return f.read()


def cq_notes(name):
    p = path(name, ".json")
    if not os.path.exists(p):
        return "no report"
    try:
        d = json.load(open(p))
    except ValueError:
        return "unreadable report"
    files = d.get("files", [])
    fns = sum(len(f.get("functions", [])) for f in files)
    fe = collections.Counter(f.get("front_end", "?") for f in files)
    cog = sum(1 for i in d.get("issues", []) if i.get("rule") == "complexity/cognitive")
    diags = sum(len(f.get("diagnostics", [])) for f in files)
    out = f"{len(files)} files ({', '.join(f'{v} {k}' for k, v in sorted(fe.items()))}), {fns} functions, {cog} cognitive > 15"
    if d.get("skipped"):
        out += f", {len(d['skipped'])} skipped"
    if diags:
        out += f", {diags} diagnostics"
    if d.get("internal_errors"):
        out += f", {len(d['internal_errors'])} internal errors"
    return out


def radon_notes(name):
    text = read(name, ".out")
    blocks = re.findall(r"^\s+([FMC]) \d+:\d+ ", text, re.M)
    c = collections.Counter(blocks)
    errors = len(re.findall(r"ERROR", text))
    return f"{c['F'] + c['M']} functions and methods, {c['C']} classes" + (f", {errors} files it could not parse" if errors else "")


def eslint_notes(name):
    p = path(name, ".json")
    if not os.path.exists(p):
        return "no report"
    try:
        d = json.load(open(p))
    except ValueError:
        return "unreadable report"
    cog = sum(1 for x in d for m in x["messages"] if m.get("ruleId") == "sonarjs/cognitive-complexity")
    fatal = sum(1 for x in d for m in x["messages"] if m.get("fatal"))
    return f"{len(d)} files, {cog} cognitive > 15" + (f", {fatal} parse errors" if fatal else "")


def tidy_notes(name):
    text = read(name, ".out")
    n = len(re.findall(r"warning: function .* has cognitive complexity of", text))
    return f"{n} cognitive > 15"


def cppcheck_notes(name):
    text = read(name, ".err")
    n = len(re.findall(r"^\S+:\d+:\d+: \w+:", text, re.M))
    return f"{n} findings (its default checks)"


def floor_notes(name):
    m = re.search(r"files=(\d+) bytes=(\d+) nodes=\d+ errors=(\d+) parse_cpu_s=([\d.]+)", read(name, ".out"))
    if not m:
        return "no output"
    return f"{m.group(1)} files, {int(m.group(2)) / 1e6:.1f} MB, parse alone {float(m.group(4)):.2f} s CPU"


def clang_notes(name):
    n = len(re.findall(r"^\S+:\d+:\d+: error:", read(name, ".err"), re.M))
    return f"{n} errors" if n else ""


def notes(name):
    if name.startswith(("cq-", "file-cq-")):
        return cq_notes(name)
    if name.startswith("radon"):
        return radon_notes(name)
    if name.startswith("eslint"):
        return eslint_notes(name)
    if name.startswith("clang-tidy"):
        return tidy_notes(name)
    if name.startswith("cppcheck"):
        return cppcheck_notes(name)
    if name.startswith("floor"):
        return floor_notes(name)
    if name.startswith(("clang-", "file-clang-")):
        return clang_notes(name)
    return ""


class Ratio(float):
    """cq / peer; `bound` when the peer hit the timeout, so its true time is larger and the true
    ratio smaller than this one."""
    bound = False


def secs(x):
    """Seconds as measured (bench/timeit.cpp, to the microsecond): 3 decimals under 1 s."""
    return f"{x:.3f}" if x < 1 else f"{x:.2f}"


def fmt_ratio(x):
    if x is None:
        return "–"
    s = f"{x:.2f}" if x >= 0.095 else f"{x:.3f}"
    return ("< " + s) if getattr(x, "bound", False) else s


def ratio(a, b, key):
    if a not in ROWS or b not in ROWS or ROWS[b][key] <= 0:
        return None
    r = Ratio(ROWS[a][key] / ROWS[b][key])
    r.bound = ROWS[b]["exit"] == 124 and key != "rss"
    return r


def faster(r):
    """'4.2x' or '> 4.2x' (when the peer timed out) from a cq/peer ratio."""
    return (">" if r.bound else "") + f"{1 / r:.1f}x"


LABELS = {
    "cq-": "cq (complexity rules)", "cq-full-": "cq (whole scan, all rules)",
    "cq-ts-": "cq, tree-sitter fallback (whole scan)", "radon-": "radon cc -s -a",
    "eslint-": "eslint + sonarjs cognitive-complexity", "clang-tidy-": "clang-tidy-16 cognitive-complexity",
    "cppcheck-": "cppcheck", "clang-": "clang-16 -fsyntax-only (libclang floor)",
    "floor-": "tree-sitter parse only (bench/ts_parse_floor)",
}

# corpus -> (cq row, [(peer row, is_peer)])
SECTIONS = [
    ("Python stdlib", "python", "cq-python", ["radon-python"], ["cq-full-python", "floor-python"]),
    ("typescript lib/", "ts", "cq-ts", ["eslint-ts"], ["cq-full-ts", "floor-ts"]),
    ("lodash", "lodash", "cq-lodash", ["eslint-lodash"], ["cq-full-lodash", "floor-lodash"]),
    ("sqlite3.c", "sqlite", "cq-sqlite", ["clang-sqlite", "clang-tidy-sqlite", "cppcheck-sqlite"],
     ["cq-ts-sqlite", "floor-sqlite"]),
    ("googletest", "googletest", "cq-googletest",
     ["clang-googletest", "clang-tidy-googletest", "cppcheck-googletest"], ["cq-ts-googletest", "floor-googletest"]),
]


def label(name, corpus):
    prefix = name[: len(name) - len(corpus)]
    return LABELS.get(prefix, name)


def status(name):
    r = ROWS[name]
    if r["exit"] == 124:
        return " (TIMED OUT)"
    return ""


def main():
    print(f"## Results\n")
    print("```\n" + read("machine", ".txt").strip() + "\n```\n")
    print("Ratios are cq / that tool (below 1: cq is faster or smaller). CPU = user + sys of all its "
          "processes and threads; RSS = the largest resident set of any one process; load = the "
          "machine's 1-minute load average when the command started (2 cores: above 2, other work "
          "was competing and wall times are inflated; CPU times much less so).\n")
    print("| corpus | tool | wall s | CPU s | peak RSS MiB | cq/tool wall | cq/tool CPU | cq/tool RSS | load | what it found |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for title, corpus, cq, peers, extra in SECTIONS:
        names = [n for n in [cq] + peers + extra if n in ROWS]
        for n in names:
            r = ROWS[n]
            base = cq
            if n.startswith("floor-"):
                base = "cq-ts-" + corpus if corpus in ("sqlite", "googletest") else "cq-full-" + corpus
            is_cmp = n != base and base in ROWS
            print(f"| {title} | {label(n, corpus)}{status(n)} | {secs(r['wall'])} | {secs(r['cpu'])} | {r['rss']:.0f} | "
                  f"{fmt_ratio(ratio(base, n, 'wall')) if is_cmp else ''} | "
                  f"{fmt_ratio(ratio(base, n, 'cpu')) if is_cmp else ''} | "
                  f"{fmt_ratio(ratio(base, n, 'rss')) if is_cmp else ''} | {r['load']} | {notes(n)} |")
    per_file = sorted(n[len("file-cq-"):] for n in ROWS if n.startswith("file-cq-"))
    if per_file:
        print("\nPer translation unit (googletest, cq `--jobs 1` on one file vs clang-16 -fsyntax-only on it):\n")
        print("| file | cq CPU s | clang CPU s | cq/clang CPU | cq RSS MiB | clang RSS MiB |")
        print("|---|---:|---:|---:|---:|---:|")
        for b in per_file:
            c, k = ROWS.get("file-cq-" + b), ROWS.get("file-clang-" + b)
            if c and k:
                print(f"| {b}.cc | {c['cpu']:.2f} | {k['cpu']:.2f} | {fmt_ratio(c['cpu'] / k['cpu'])} | {c['rss']:.0f} | {k['rss']:.0f} |")

    print("\n## Targets\n")
    print("| target | measured | result |")
    print("|---|---|---|")

    def verdict(ok):
        return "**pass**" if ok else "**FAIL**"

    r = ratio("cq-python", "radon-python", "wall")
    if r is not None:
        rc = ratio("cq-python", "radon-python", "cpu")
        print(f"| cq ≥ 3x faster (wall) than radon cc on the Python stdlib | {faster(r)} faster wall "
              f"({faster(rc)} on CPU) | {verdict(r <= 1 / 3)} |")
    r = ratio("cq-ts", "eslint-ts", "wall")
    if r is not None:
        rc = ratio("cq-ts", "eslint-ts", "cpu")
        print(f"| cq ≥ 10x faster (wall) than eslint + sonarjs on typescript lib/ | {faster(r)} faster wall "
              f"({faster(rc)} on CPU) | {verdict(r <= 0.1)} |")
    for corpus in ("sqlite", "googletest"):
        r = ratio(f"cq-{corpus}", f"clang-{corpus}", "cpu")
        if r is not None:
            print(f"| libclang analysis ≤ 1.5x clang -fsyntax-only (CPU), {corpus} | {r:.2f}x | {verdict(r <= 1.5)} |")
    ratios = [(b, ROWS["file-cq-" + b]["cpu"] / ROWS["file-clang-" + b]["cpu"])
              for b in per_file if "file-clang-" + b in ROWS and ROWS["file-clang-" + b]["cpu"] > 0]
    if ratios:
        worst = max(ratios, key=lambda x: x[1])
        print(f"| same, per translation unit (worst of {len(ratios)}) | {worst[1]:.2f}x ({worst[0]}.cc) | {verdict(worst[1] <= 1.5)} |")
    for title, corpus, cq, peers, extra in SECTIONS:
        real_peers = [p for p in peers if not p.startswith("clang-") or p.startswith("clang-tidy")]
        if cq not in ROWS:
            continue
        over = [p for p in real_peers if p in ROWS and ROWS[cq]["rss"] >= ROWS[p]["rss"]]
        measured = ", ".join(f"{label(p, corpus).split(' ')[0]} {ROWS[p]['rss']:.0f}" for p in real_peers if p in ROWS)
        print(f"| peak memory below every peer, {title} | cq {ROWS[cq]['rss']:.0f} MiB vs {measured} MiB | {verdict(not over)} |")
    for title, corpus, cq, peers, extra in SECTIONS:
        whole, fl = extra
        r = ratio(whole, fl, "cpu")
        if r is not None:
            print(f"| whole scan ≤ 2x tree-sitter parse CPU, {title} | {r:.2f}x ({secs(ROWS[whole]['cpu'])} s vs {secs(ROWS[fl]['cpu'])} s) | {verdict(r <= 2)} |")


if __name__ == "__main__":
    main()
