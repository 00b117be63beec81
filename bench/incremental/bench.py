#!/usr/bin/env python3
"""Incremental-scan benchmark: a generated git repository of N files (Python, JavaScript,
TypeScript), one file changed, timed with every rule on (project-wide duplication and hot-path
rules included).

    python3 bench/incremental/bench.py [--cq build/cli/cq] [--files 1000] [--runs 5]

Prints a Markdown table of median wall times; bench/incremental/README.md records a run.
"""
import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

WORDS = ("account alert amount batch bucket buffer cache channel chunk client config count cursor "
         "delay device entry event field filter frame group handle header index item job key label "
         "limit line list lock message metric mode node offset order owner page path payload peer "
         "point pool port queue quota range rate record region reply request result retry route row "
         "rule sample scope score session shard signal size slot source span state status stream "
         "target task tenant token topic total trace user value version window worker zone").split()


class Gen:
    """Random but plausible code, so that the project has the little duplication real ones have."""

    def __init__(self, rnd, lang):
        self.r = rnd
        self.lang = lang

    def name(self):
        return "%s_%s" % (self.r.choice(WORDS), self.r.choice(WORDS))

    def expr(self, vars_):
        r = self.r
        k = r.randint(0, 4)
        if k == 0:
            return str(r.randint(0, 999))
        if k == 1 and vars_:
            return "%s %s %d" % (r.choice(vars_), r.choice("+-*"), r.randint(1, 99))
        if k == 2:
            args = ", ".join(r.choice(vars_) if vars_ and r.random() < 0.6 else str(r.randint(0, 9))
                             for _ in range(r.randint(0, 3)))
            return "%s(%s)" % (self.name(), args)
        if k == 3 and len(vars_) > 1:
            return "%s %s %s" % (r.choice(vars_), r.choice("+-*"), r.choice(vars_))
        return '"%s"' % self.name()

    def block(self, vars_, depth, indent):
        r = self.r
        out = []
        for _ in range(r.randint(2, 5 if depth < 2 else 3)):
            k = r.randint(0, 9)
            pad = "    " * indent if self.lang == "py" else "  " * indent
            if k <= 3 or depth >= 3:
                v = self.name()
                if self.lang == "py":
                    out.append("%s%s = %s" % (pad, v, self.expr(vars_)))
                else:
                    out.append("%sconst %s = %s;" % (pad, v, self.expr(vars_)))
                vars_ = vars_ + [v]
            elif k <= 5:
                cond = "%s %s %d" % (r.choice(vars_) if vars_ else "0", r.choice(["<", ">", "==", "!="]),
                                     r.randint(0, 50))
                if self.lang == "py":
                    out.append("%sif %s:" % (pad, cond))
                    out += self.block(vars_, depth + 1, indent + 1)
                    if r.random() < 0.4:
                        out.append("%selse:" % pad)
                        out += self.block(vars_, depth + 1, indent + 1)
                else:
                    out.append("%sif (%s) {" % (pad, cond))
                    out += self.block(vars_, depth + 1, indent + 1)
                    out.append("%s}" % pad)
            elif k <= 7:
                it = self.name()
                src = self.expr(vars_)
                if self.lang == "py":
                    out.append("%sfor %s in %s:" % (pad, it, src))
                else:
                    out.append("%sfor (const %s of %s) {" % (pad, it, src))
                out += self.block(vars_ + [it], depth + 1, indent + 1)
                if self.lang != "py":
                    out.append("%s}" % pad)
            else:
                call = "%s.%s(%s)" % (r.choice(vars_) if vars_ else "self", r.choice(WORDS), self.expr(vars_))
                out.append("%s%s%s" % (pad, call, "" if self.lang == "py" else ";"))
        return out

    def function(self, fname):
        r = self.r
        params = [self.name() for _ in range(r.randint(0, 4))]
        body = self.block(params, 0, 1)
        ret = self.expr(params)
        if self.lang == "py":
            return "def %s(%s):\n%s\n    return %s\n" % (fname, ", ".join(params), "\n".join(body), ret)
        typed = ", ".join(p + (": any" if self.lang == "ts" else "") for p in params)
        return "export function %s(%s) {\n%s\n  return %s;\n}\n" % (fname, typed, "\n".join(body), ret)

    def file(self, n):
        head = ("import json\nimport logging\n\n" if self.lang == "py"
                else "import { %s } from \"./lib%d\";\n\n" % (self.name(), n % 7))
        funcs = [self.function("%s_%d_%d" % (self.name(), n, k)) for k in range(self.r.randint(2, 5))]
        return head + "\n\n".join(funcs)


def make_repo(path, files, seed=7):
    rnd = random.Random(seed)
    os.makedirs(path)
    for i in range(files):
        kind = i % 5
        sub = os.path.join(path, "pkg%02d" % (i % 40))
        os.makedirs(sub, exist_ok=True)
        lang, ext = ("py", "py") if kind < 3 else ("js", "js") if kind == 3 else ("ts", "ts")
        with open(os.path.join(sub, "mod%04d.%s" % (i, ext)), "w") as f:
            f.write(Gen(rnd, lang).file(i))
    run(["git", "init", "-q", "-b", "main"], path)
    run(["git", "config", "user.email", "bench@example.com"], path)
    run(["git", "config", "user.name", "bench"], path)
    run(["git", "add", "-A"], path)
    run(["git", "commit", "-q", "-m", "generated"], path)


def run(argv, cwd, check=True):
    r = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if check and r.returncode not in (0, 1):
        sys.exit("failed (%d): %s\n%s" % (r.returncode, " ".join(argv), r.stderr))
    return r


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


# (wall, cpu) seconds; cpu is cq's user + system time, git included, which a loaded machine
# does not inflate the way it inflates wall time.
def timed(argv, cwd):
    cpu = cpu_children()
    start = time.perf_counter()
    run(argv, cwd)
    return (time.perf_counter() - start, cpu_children() - cpu)


def change_one_file(repo, i):
    path = os.path.join(repo, "pkg%02d" % (i % 40), "mod%04d.py" % i)
    assert os.path.exists(path), path
    with open(path, "a") as f:
        f.write("\n\ndef added_%d(x):\n    if x > %d:\n        return x\n    return 0\n" % (i, i))
    return path


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--cq", default=os.path.join(here, "..", "..", "build", "cli", "cq"))
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="keep the generated repository")
    args = ap.parse_args()
    cq = os.path.abspath(args.cq)
    work = tempfile.mkdtemp(prefix="cq-bench-incr-")
    repo = os.path.join(work, "repo")
    try:
        make_repo(repo, args.files)
        rows = []

        cold = [timed([cq, "scan", "-q", "--no-history"], repo) for _ in range(args.runs)]
        rows.append(("full scan, no history (every file parsed)", cold))
        first = timed([cq, "scan", "-q"], repo)
        rows.append(("first scan with history (parses, fills the cache)", [first]))
        warm = [timed([cq, "scan", "-q"], repo) for _ in range(args.runs)]
        rows.append(("full scan, nothing changed (every file from the cache)", warm))

        since, full, staged = [], [], []
        for k in range(args.runs):
            # Files 0, 5, 10... are Python; fresh ones each time, so each is a real cache miss.
            first = 15 * k
            run([cq, "scan", "-q"], repo)  # HEAD (clean) in the history: the gate's baseline
            change_one_file(repo, first)
            since.append(timed([cq, "scan", "-q", "--changed-since", "HEAD"], repo))
            run(["git", "checkout", "-q", "--", "."], repo)
            change_one_file(repo, first + 5)
            run(["git", "add", "-A"], repo)
            staged.append(timed([cq, "gate", "--staged", "-q"], repo))
            run(["git", "reset", "-q"], repo)
            run(["git", "checkout", "-q", "--", "."], repo)
            change_one_file(repo, first + 10)
            full.append(timed([cq, "scan", "-q"], repo))
            run(["git", "commit", "-q", "-a", "-m", "change %d" % k], repo)
        rows.append(("one file changed: `cq scan --changed-since HEAD`", since))
        rows.append(("one file changed: `cq gate --staged` (pre-commit)", staged))
        rows.append(("one file changed: full `cq scan` (incremental, recorded)", full))

        print("%d files (%s), %s, median of %d run(s), load average %.1f on %d CPUs\n" % (
            args.files, "60 % Python, 20 % JavaScript, 20 % TypeScript",
            subprocess.run([cq, "--version"], capture_output=True, text=True).stdout.strip(), args.runs,
            os.getloadavg()[0], os.cpu_count()))
        print("| step | wall (median) | CPU (median) | wall min / max |")
        print("|---|---|---|---|")
        for name, times in rows:
            wall = [t[0] for t in times]
            cpu = [t[1] for t in times]
            print("| %s | %.3f s | %.3f s | %.3f / %.3f s |" % (
                name, statistics.median(wall), statistics.median(cpu), min(wall), max(wall)))
        db = os.path.join(repo, ".cq", "history.db")
        print("\nhistory database: %.1f MB" % (os.path.getsize(db) / 1e6))
    finally:
        if args.keep:
            print("repository kept in", repo)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
