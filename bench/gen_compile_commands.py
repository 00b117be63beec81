#!/usr/bin/env python3
"""Write the compile_commands.json of a bench corpus, and a shell script that runs each of its
commands with -fsyntax-only (the libclang floor: parsing and semantic analysis, no code generation).

  gen_compile_commands.py googletest DIR   one entry per .cc under DIR (its test/ directories only
                                           with BENCH_GOOGLETEST_TESTS=1), -std=c++17 and -I for
                                           googletest/include, googletest, googlemock/include, googlemock
  gen_compile_commands.py sqlite DIR       one entry for DIR/sqlite3.c (C11)

Writes DIR/compile_commands.json and DIR/syntax-only.sh. Paths are absolute.
"""
import json
import os
import shlex
import sys

CLANG_C = "/usr/bin/clang-16"
CLANG_CXX = "/usr/bin/clang++-16"
# What googletest's own CMake build adds for the one test that needs it.
# googletest's own tests (66 heavy translation units) only with BENCH_GOOGLETEST_TESTS=1: they
# triple the time of every C++ tool, which does not fit the bench's 20 minutes on 2 cores.
WITH_TESTS = os.environ.get("BENCH_GOOGLETEST_TESTS") == "1"
PER_FILE_FLAGS = {"googletest-death-test_ex_test.cc": ["-DGTEST_ENABLE_CATCH_EXCEPTIONS_=1"]}


def googletest(root):
    incs = ["googletest/include", "googletest", "googlemock/include", "googlemock"]
    flags = ["-std=c++17"] + ["-I" + os.path.join(root, i) for i in incs]
    entries = []
    for dirpath, dirnames, filenames in os.walk(root):
        if not WITH_TESTS:
            dirnames[:] = [d for d in dirnames if d != "test"]
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".cc"):
                path = os.path.join(dirpath, name)
                extra = PER_FILE_FLAGS.get(name, [])
                entries.append((CLANG_CXX, flags + extra, path))
    return entries


def sqlite(root):
    return [(CLANG_C, ["-std=gnu11", "-I" + root], os.path.join(root, "sqlite3.c"))]


def main():
    kind, root = sys.argv[1], os.path.abspath(sys.argv[2])
    entries = {"googletest": googletest, "sqlite": sqlite}[kind](root)
    db = []
    lines = ["#!/bin/sh", "# clang -fsyntax-only on every entry of compile_commands.json, one after the other"]
    for compiler, flags, path in entries:
        out = os.path.splitext(os.path.basename(path))[0] + ".o"
        db.append({"directory": root, "file": path,
                   "arguments": [compiler] + flags + ["-c", "-o", out, path]})
        lines.append(shlex.join([compiler, "-fsyntax-only"] + flags + [path]) + " || true")
    with open(os.path.join(root, "compile_commands.json"), "w") as f:
        json.dump(db, f, indent=1)
        f.write("\n")
    with open(os.path.join(root, "syntax-only.sh"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{kind}: {len(db)} compile commands in {root}/compile_commands.json")


if __name__ == "__main__":
    main()
