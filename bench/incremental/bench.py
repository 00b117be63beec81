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

PY = '''import json
import logging

LOG = logging.getLogger(__name__)


def parse_{n}(record, limit={a}):
    if not record:
        return None
    values = []
    for key, value in record.items():
        if key.startswith("x_{n}") and value > limit:
            values.append(value * {b})
        elif value is None:
            continue
        else:
            values.append(value)
    return values


class Handler{n}:
    def __init__(self, client):
        self.client = client

    def handle(self, event, context):
        total = 0
        for item in event.get("Records", []):
            parsed = parse_{n}(item)
            if parsed and len(parsed) > {c}:
                total += sum(parsed)
        LOG.info("handled %s", total)
        return json.dumps({{"total": total, "id": {n}}})
'''

JS = '''const {{ promisify }} = require("util");

function score{n}(items, weight = {a}) {{
  let total = 0;
  for (const item of items) {{
    if (item.kind === "k{n}" && item.value > {b}) {{
      total += item.value * weight;
    }} else if (item.value < 0) {{
      total -= 1;
    }}
  }}
  return total;
}}

async function handler{n}(event) {{
  const records = event.Records || [];
  const scores = records.map((r) => score{n}(r.items || []));
  return {{ statusCode: 200, body: JSON.stringify({{ scores, id: {c} }}) }};
}}

module.exports = {{ score{n}, handler{n} }};
'''

TS = '''export interface Item{n} {{
  kind: string;
  value: number;
}}

export function rank{n}(items: Item{n}[], limit: number = {a}): Item{n}[] {{
  const out: Item{n}[] = [];
  for (const item of items) {{
    if (item.value > limit && item.kind !== "skip{n}") {{
      out.push(item);
    }}
  }}
  return out.sort((x, y) => y.value - x.value).slice(0, {b});
}}

export class Service{n} {{
  constructor(private readonly name: string) {{}}

  describe(items: Item{n}[]): string {{
    const ranked = rank{n}(items);
    return `${{this.name}}: ${{ranked.length}} of ${{items.length}} (${c})`;
  }}
}}
'''


def make_repo(path, files, seed=7):
    rnd = random.Random(seed)
    os.makedirs(path)
    for i in range(files):
        kind = i % 5
        sub = os.path.join(path, "pkg%02d" % (i % 40))
        os.makedirs(sub, exist_ok=True)
        a, b, c = rnd.randint(1, 99), rnd.randint(2, 9), rnd.randint(1, 20)
        if kind < 3:
            name, text = "mod%04d.py" % i, PY.format(n=i, a=a, b=b, c=c)
        elif kind == 3:
            name, text = "mod%04d.js" % i, JS.format(n=i, a=a, b=b, c=c)
        else:
            name, text = "mod%04d.ts" % i, TS.format(n=i, a=a, b=b, c=c)
        with open(os.path.join(sub, name), "w") as f:
            f.write(text)
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
            # Files 0, 5, 10... are Python; a fresh one each run, so it is a real cache miss.
            i = 5 * (k + 1)
            run([cq, "scan", "-q"], repo)  # HEAD in the history: the gate's baseline
            change_one_file(repo, i)
            since.append(timed([cq, "scan", "-q", "--changed-since", "HEAD"], repo))
            run(["git", "add", "-A"], repo)
            # The changed file is in the cache now; change it again for the gate and the full scan.
            change_one_file(repo, i + 1000000)
            run(["git", "add", "-A"], repo)
            staged.append(timed([cq, "gate", "--staged", "-q"], repo))
            change_one_file(repo, i + 2000000)
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
