#!/usr/bin/env python3
"""Summarize a bench/dup.sh results directory as Markdown: time and memory of cq and jscpd, and
the overlap of the clones they found, both ways.

  dup_report.py RESULTS_DIR CORPUS...

Overlap, per corpus, between cq and each jscpd run, over code lines only (a line with something
left once comments are removed; jscpd's ranges include comment lines, cq's count code only):
  lines    of the code lines one tool marks duplicated, the share the other marks too;
  clones   a jscpd clone (a pair of fragments) is found by cq when cq marks at least half of the
           code lines of each fragment duplicated; a cq occurrence is found by jscpd when jscpd
           marks at least half of its code lines.
Then, for each jscpd clone cq does not find, one reason:
  import run   most of its code lines are import / require / #include / using lines, which
               duplication/block leaves out by design;
  comments     under 100 tokens or 10 lines once comments are removed (jscpd counts comment
               tokens; cq, like SonarQube's CPD, counts code only). Tokens are counted with a
               rough approximation of cq's lexer, so clones near the threshold can land either way;
  other        listed for a human to read.
"""
import json
import os
import re
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


CORPUS_DIRS = {"python": "python-stdlib", "ts": "ts-lib", "lodash": "lodash", "sqlite": "sqlite",
               "googletest": "googletest"}
CORPUS_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpora")
CURRENT = {"corpus": None}
_CODE = {}


def strip_comments(text, python):
    """The text with comments blanked (newlines kept), strings left alone."""
    if python:
        pattern = r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|#[^\n]*"""
    else:
        pattern = r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|//[^\n]*|/\*.*?(?:\*/|\Z)"""

    def blank(m):
        if m.group(1):
            return m.group(1)
        return re.sub(r"[^\n]", " ", m.group(0))

    return re.sub(pattern, blank, text, flags=re.S)


def code_lines(path):
    """1-based numbers of the lines of a corpus file that hold code (None if unreadable)."""
    key = (CURRENT["corpus"], path)
    if key not in _CODE:
        full = os.path.join(CORPUS_ROOT, CORPUS_DIRS.get(CURRENT["corpus"], ""), path)
        try:
            with open(full, encoding="utf-8", errors="replace") as f:
                text = strip_comments(f.read(), path.endswith((".py", ".pyi")))
            _CODE[key] = {n for n, l in enumerate(text.split("\n"), 1) if l.strip() and l.strip() != "\\"}
        except OSError:
            _CODE[key] = None
    return _CODE[key]


def lines_of(path, start, end):
    code = code_lines(path)
    return {(path, n) for n in range(int(start), int(end) + 1) if code is None or n in code}


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
        clones.append((a, b, c.get("fragment", ""), c.get("format") == "python"))
        marked |= lines_of(*a) | lines_of(*b)
    return clones, marked


def covered(frag, marked):
    ls = lines_of(*frag)
    return len(ls & marked) / len(ls) >= HALF if ls else False


IMPORT = re.compile(r"^\s*(import\b|from\s+\S+\s+import\b|#\s*include\b|#\s*import\b|using\s+[\w:]+\s*;|"
                    r"(const|let|var)\s+[\w{}\s,]+=\s*require\(|[\w$]+\s*=\s*require\(|"
                    r"['\"]?[\w$]+['\"]?\s*:\s*require\(|\}\s*from\s)")
TOKEN = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|`[^`]*`|\w+|"
                   r"===|!==|>>>|<<=|>>=|\*\*=|\.\.\.|->|=>|<=|>=|==|!=|&&|\|\||\+\+|--|<<|>>|::|"
                   r"\*\*|//|[-+*/%&|^]=|\S")


def why_not_found(fragment, python):
    text = strip_comments(fragment, python)
    if not python:
        text = re.sub(r"^(\s*\*[^\n]*\n)+", "", text)  # a fragment that starts inside a comment
    lines = [l for l in text.split("\n") if l.strip() and l.strip() != "\\"]
    if lines and sum(1 for l in lines if IMPORT.match(l)) * 2 >= len(lines):
        return "import run"
    if sum(len(TOKEN.findall(l)) for l in lines) < 100 or len(lines) < 10:
        return "comments"
    return "other"


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
    reasons = []
    others = []
    for corpus in CORPORA:
        CURRENT["corpus"] = corpus
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
                    missed = [c for c in j[0] if not (covered(c[0], cl) and covered(c[1], cl))]
                    found_by_cq = len(j[0]) - len(missed)
                    why = [why_not_found(c[2], c[3]) for c in missed]
                    reasons.append((corpus, label, len(j[0]), found_by_cq, why.count("import run"),
                                    why.count("comments"), why.count("other")))
                    others += [f"{corpus}, {label}: {c[0][0]}:{c[0][1]}-{c[0][2]} ~ {c[1][0]}:{c[1][1]}-{c[1][2]}"
                               for c, w in zip(missed, why) if w == "other"][:5]
                    found_by_j = sum(1 for o in cq[0] if covered(o, jl))
                    overlap.append((corpus, label, len(jl & cl), len(jl), len(cl), found_by_cq, len(j[0]),
                                    found_by_j, len(cq[0])))
            print(f"| {corpus} | {label}{timed_out} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss']:.0f} | "
                  f"{ratios[0]} | {ratios[1]} | {ratios[2]} | {found} | {dup} |")
    if overlap:
        print("\nOverlap on code lines (a clone counts as found when at least half of its code lines are marked "
              "by the other tool):\n")
        print("| corpus | jscpd run | jscpd's lines cq marks | cq's lines jscpd marks | jscpd clones cq finds | cq occurrences jscpd finds |")
        print("|---|---|---:|---:|---:|---:|")
        for corpus, label, both, jn, cn, fc, jc, fj, co in overlap:
            print(f"| {corpus} | {label} | {pct(both, jn)} ({both}/{jn}) | {pct(both, cn)} ({both}/{cn}) | "
                  f"{pct(fc, jc)} ({fc}/{jc}) | {pct(fj, co)} ({fj}/{co}) |")
    if reasons:
        print("\njscpd clones cq does not find, by reason:\n")
        print("| corpus | jscpd run | clones | cq finds | import run (left out by design) | "
              "under 100 tokens or 10 lines without comments | other |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for corpus, label, n, found, imp, com, other in reasons:
            print(f"| {corpus} | {label} | {n} | {found} | {imp} | {com} | {other} |")
    if others:
        print("\nFirst clones of the 'other' column:\n")
        for o in others:
            print(f"- {o}")


if __name__ == "__main__":
    main()
