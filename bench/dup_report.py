#!/usr/bin/env python3
"""Summarize a bench/dup.sh results directory as Markdown: time and memory of cq and jscpd, and
the overlap of the clones they found, both ways.

  dup_report.py RESULTS_DIR CORPUS...

Overlap, per corpus, between cq and each jscpd run:
  lines    of the lines one tool marks duplicated, the share the other marks too;
  clones   a jscpd clone (a pair of fragments) is found by cq when cq marks at least half of the
           lines of each fragment duplicated; a cq occurrence is found by jscpd when jscpd marks
           at least half of its lines.
"""
import json
import os
import sys

R = sys.argv[1]
CORPORA = sys.argv[2:]
HALF = 0.5


def rows():
    out = {}
    with open(os.path.join(R, "results.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            v = dict(zip(header, line.rstrip("\n").split("\t")))
            out[v["name"]] = {"wall": float(v["wall_s"]), "cpu": float(v["user_s"]) + float(v["sys_s"]),
                              "rss": float(v["maxrss_kb"]) / 1024.0, "exit": int(v["exit"])}
    return out


ROWS = rows()


def norm(p):
    p = p.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def lines_of(path, start, end):
    return {(path, n) for n in range(int(start), int(end) + 1)}


def load_cq(corpus):
    """-> (occurrences [(path, start, end)], line set) or None."""
    p = os.path.join(R, f"cq-{corpus}.json")
    if not os.path.exists(p):
        return None
    try:
        d = json.load(open(p))
    except ValueError:
        return None
    occ = [(norm(b["path"]), b["line"], b["end_line"]) for b in d.get("duplication", {}).get("blocks", [])]
    groups = len({b.get("group") for b in d.get("duplication", {}).get("blocks", [])})
    marked = set()
    for o in occ:
        marked |= lines_of(*o)
    return occ, marked, groups


def load_jscpd(name):
    """-> (clones [((path, start, end), (path, start, end))], line set) or None."""
    p = os.path.join(R, name, "jscpd-report.json")
    if not os.path.exists(p):
        return None
    try:
        d = json.load(open(p))
    except ValueError:
        return None
    clones = []
    marked = set()
    for c in d.get("duplicates", []):
        a = (norm(c["firstFile"]["name"]), c["firstFile"]["start"], c["firstFile"]["end"])
        b = (norm(c["secondFile"]["name"]), c["secondFile"]["start"], c["secondFile"]["end"])
        clones.append((a, b))
        marked |= lines_of(*a) | lines_of(*b)
    return clones, marked


def covered(frag, marked):
    ls = lines_of(*frag)
    return len(ls & marked) / len(ls) >= HALF if ls else False


def pct(a, b):
    return f"{100.0 * a / b:.0f}%" if b else "–"


def main():
    print("## Duplication results\n")
    machine = os.path.join(R, "machine.txt")
    if os.path.exists(machine):
        print("```\n" + open(machine).read().strip() + "\n```\n")
    print("| corpus | tool | wall s | CPU s | peak RSS MiB | cq/tool wall | cq/tool CPU | cq/tool RSS | clones | duplicated lines |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    overlap = []
    for corpus in CORPORA:
        cq = load_cq(corpus)
        cqrow = ROWS.get(f"cq-{corpus}")
        for tool, label in (("cq", "cq duplication/block"), ("jscpd4", "jscpd 4 (exact)"),
                            ("jscpd5", "jscpd 5 (exact)"), ("jscpd5t2", "jscpd 5 (--ignore-identifiers --ignore-literals)")):
            name = f"{tool}-{corpus}"
            r = ROWS.get(name)
            if r is None:
                continue
            timed_out = " (TIMED OUT)" if r["exit"] == 124 else ""
            if tool == "cq":
                found = f"{cq[2]} groups, {len(cq[0])} occurrences" if cq else "no report"
                dup = len(cq[1]) if cq else 0
                ratios = ("", "", "")
            else:
                j = load_jscpd(name)
                found = f"{len(j[0])} pairs" if j else "no report"
                dup = len(j[1]) if j else 0
                ratios = tuple(f"{cqrow[k] / r[k]:.2f}" if cqrow and r[k] > 0 else "–" for k in ("wall", "cpu", "rss"))
                if cq and j:
                    jl, cl = j[1], cq[1]
                    found_by_cq = sum(1 for a, b in j[0] if covered(a, cl) and covered(b, cl))
                    found_by_j = sum(1 for o in cq[0] if covered(o, jl))
                    overlap.append((corpus, label, len(jl & cl), len(jl), len(cl), found_by_cq, len(j[0]),
                                    found_by_j, len(cq[0])))
            print(f"| {corpus} | {label}{timed_out} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss']:.0f} | "
                  f"{ratios[0]} | {ratios[1]} | {ratios[2]} | {found} | {dup} |")
    if overlap:
        print("\nOverlap (a clone counts as found when at least half of its lines are marked by the other tool):\n")
        print("| corpus | jscpd run | jscpd's lines cq marks | cq's lines jscpd marks | jscpd clones cq finds | cq occurrences jscpd finds |")
        print("|---|---|---:|---:|---:|---:|")
        for corpus, label, both, jn, cn, fc, jc, fj, co in overlap:
            print(f"| {corpus} | {label} | {pct(both, jn)} ({both}/{jn}) | {pct(both, cn)} ({both}/{cn}) | "
                  f"{pct(fc, jc)} ({fc}/{jc}) | {pct(fj, co)} ({fj}/{co}) |")


if __name__ == "__main__":
    main()
