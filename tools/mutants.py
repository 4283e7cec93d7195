#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Deliberate bugs, one at a time: do the tests catch them?

Applies each bug of a list (tools/mutants.txt: file, exact search text, replacement, targets,
tests) to a scratch copy of the source tree, rebuilds only the bug's targets in the scratch build
folder, runs its tests and prints caught/survived. The checkout and its build folder are never
touched. Not part of CI: a full run rebuilds many targets (see docs/reliability.md).

usage: tools/mutants.py [NAME...] [--list FILE] [--scratch DIR] [--jobs N] [--timeout S]
                        [--check] [--prepare] [--no-baseline] [--no-sync]
"""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import time

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_DIRS = {".git", "__pycache__"}


def parse_list(path):
    """The blocks of the list file as dicts (test: is a list)."""
    mutants, block = [], {}

    def finish():
        if block:
            missing = [k for k in ("name", "file", "search", "replace", "build", "test") if k not in block]
            if missing:
                sys.exit(f"{path}: mutant '{block.get('name', '?')}' lacks {', '.join(missing)}")
            mutants.append(dict(block))
            block.clear()

    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                finish()
                continue
            key, sep, value = line.partition(": ")
            if not sep:
                sys.exit(f"{path}:{lineno}: expected 'key: value', got '{line}'")
            value = value.replace("\\n", "\n").replace("\\t", "\t")
            if key == "test":
                block.setdefault("test", []).append(value)
            elif key in ("name", "file", "search", "replace", "build", "why"):
                block[key] = value
            else:
                sys.exit(f"{path}:{lineno}: unknown key '{key}'")
    finish()
    names = [m["name"] for m in mutants]
    if len(set(names)) != len(names):
        sys.exit(f"{path}: duplicate mutant names")
    return mutants


def is_build_dir(name):
    return name == "build" or name.startswith("build-") or name.startswith("build_")


def sync_tree(src, dst):
    """Makes dst a copy of src (without .git and build folders). Changed files get the current time,
    so the scratch build recompiles them even when a restored file is older than its object."""
    copied = 0
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not (rel == "." and is_build_dir(d))]
        out = os.path.join(dst, rel)
        os.makedirs(out, exist_ok=True)
        for name in files:
            s, d = os.path.join(root, name), os.path.join(out, name)
            if os.path.islink(s):
                continue
            if os.path.exists(d) and filecmp.cmp(s, d, shallow=False):
                continue
            shutil.copyfile(s, d)
            shutil.copymode(s, d)
            os.utime(d)
            copied += 1
    # Files gone from the source go from the copy too (CMake globs must see the same tree).
    for root, dirs, files in os.walk(dst):
        rel = os.path.relpath(root, dst)
        dirs[:] = [d for d in dirs if not (rel == "." and is_build_dir(d))]
        for name in files:
            if not os.path.exists(os.path.join(src, rel, name)):
                os.remove(os.path.join(root, name))
    return copied


def golden_dir():
    if os.environ.get("UNCLIP_GOLDEN_DIR"):
        return os.path.abspath(os.environ["UNCLIP_GOLDEN_DIR"])
    inside = os.path.join(SOURCE, "tests", "golden")
    return inside if os.path.isdir(inside) else os.path.abspath(os.path.join(SOURCE, "..", "shared", "golden"))


def run(cmd, log, timeout=None, env=None, cwd=None):
    """Runs cmd with its output appended to log; returns the exit code (124 on timeout)."""
    with open(log, "a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        try:
            return subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, env=env, cwd=cwd).returncode
        except subprocess.TimeoutExpired:
            out.write(f"(timed out after {timeout} s)\n")
            return 124


class Scratch:
    def __init__(self, root, jobs, timeout):
        self.root, self.jobs, self.timeout = root, jobs, timeout
        self.src, self.build = os.path.join(root, "src"), os.path.join(root, "build")
        self.log = os.path.join(root, "mutants.log")
        self.golden = golden_dir()

    def prepare(self, sync=True):
        os.makedirs(self.root, exist_ok=True)
        if sync or not os.path.isdir(self.src):
            n = sync_tree(SOURCE, self.src)
            print(f"scratch copy {self.src}: {n} file(s) updated; build folder {self.build}; log {self.log}")
        else:
            print(f"scratch copy {self.src} kept as it is (--no-sync); build folder {self.build}; log {self.log}")
        if not os.path.exists(os.path.join(self.build, "build.ninja")):
            code = run(["cmake", "-S", self.src, "-B", self.build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                        "-DUNCLIP_WITH_UI=ON", "-DUNCLIP_BUILD_TESTS=ON", f"-DUNCLIP_GOLDEN_DIR={self.golden}"], self.log)
            if code != 0:
                sys.exit(f"configuring the scratch build failed (see {self.log})")

    def build_targets(self, targets):
        return run(["cmake", "--build", self.build, f"-j{self.jobs}", "--target", *targets], self.log) == 0

    def test(self, spec):
        """Runs one 'program [filter]' line; returns its exit code."""
        program, _, filt = spec.partition(" ")
        exe = os.path.join(self.build, "bin", program)
        cmd = [exe]
        if program.startswith("test_cli_"):
            work = os.path.join(self.root, "work", program)
            cmd += ["--unclip", os.path.join(self.build, "bin", "unclip"), "--golden", self.golden, "--work", work]
        if filt:
            cmd.append(filt)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", UNCLIP_GOLDEN_DIR=self.golden)
        env.pop("UNCLIP_MODEL_DIR", None)
        return run(cmd, self.log, timeout=self.timeout, env=env, cwd=self.build)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="run only these mutants (default: all)")
    ap.add_argument("--list", default=os.path.join(SOURCE, "tools", "mutants.txt"))
    ap.add_argument("--scratch", default="/tmp/unclip-mutants", help="scratch copy and build folder (kept between runs)")
    ap.add_argument("--jobs", type=int, default=1, help="build jobs in the scratch build (default 1)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per test program run (a hang counts as caught)")
    ap.add_argument("--check", action="store_true", help="only check that every search text occurs once")
    ap.add_argument("--prepare", action="store_true", help="copy, configure and build every target, run nothing")
    ap.add_argument("--no-baseline", action="store_true", help="skip running the tests on the unbroken code first")
    ap.add_argument("--no-sync", action="store_true",
                    help="keep the scratch copy as the last run left it (e.g. while others are mid-edit)")
    a = ap.parse_args()

    mutants = parse_list(a.list)
    if a.names:
        unknown = set(a.names) - {m["name"] for m in mutants}
        if unknown:
            sys.exit(f"unknown mutant(s): {', '.join(sorted(unknown))}")
        mutants = [m for m in mutants if m["name"] in a.names]

    stale = set()
    tree = os.path.join(os.path.abspath(a.scratch), "src") if a.no_sync else SOURCE
    for m in mutants:
        path = os.path.join(tree, m["file"])
        count = open(path, encoding="utf-8").read().count(m["search"]) if os.path.exists(path) else 0
        if count != 1:
            stale.add(m["name"])
            print(f"{m['name']}: stale: the search text occurs {count} times in {m['file']}")
    if a.check:
        print(f"{len(mutants) - len(stale)} of {len(mutants)} mutants apply")
        return 1 if stale else 0

    root = os.path.abspath(a.scratch)
    if root == SOURCE or root.startswith(SOURCE + os.sep):
        sys.exit("the scratch folder must lie outside the source tree")
    s = Scratch(root, a.jobs, a.timeout)
    s.prepare(sync=not a.no_sync)
    live = [m for m in mutants if m["name"] not in stale]
    targets = sorted({t for m in live for t in m["build"].split()})
    print(f"building {' '.join(targets)} (-j{a.jobs}) ...", flush=True)
    t0 = time.time()
    if not s.build_targets(targets):
        sys.exit(f"the unbroken scratch tree does not build (see {s.log})")
    print(f"  built in {time.time() - t0:.0f} s", flush=True)
    if a.prepare:
        return 0

    broken_baseline = set()
    if not a.no_baseline:
        for spec in sorted({t for m in live for t in m["test"]}):
            t0 = time.time()
            code = s.test(spec)
            print(f"baseline {spec}: {'ok' if code == 0 else f'FAILS (exit {code})'} ({time.time() - t0:.0f} s)", flush=True)
            if code != 0:
                broken_baseline.add(spec)

    results = []

    def report(name, result, detail, secs):
        results.append((name, result, detail, secs))
        print(f"{name:26} {result:11} {secs:6.0f} s  {detail}", flush=True)

    for m in mutants:
        if m["name"] in stale:
            report(m["name"], "stale", "the search text does not occur once", 0)
            continue
        if any(t in broken_baseline for t in m["test"]):
            report(m["name"], "invalid", "a test fails without the bug", 0)
            continue
        path = os.path.join(s.src, m["file"])
        original = open(path, encoding="utf-8").read()
        t0 = time.time()
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(original.replace(m["search"], m["replace"], 1))
            os.utime(path)
            if not s.build_targets(m["build"].split()):
                outcome = ("build-error", "the broken code does not compile")
            else:
                failed = [t for t in m["test"] if s.test(t) != 0]
                outcome = ("caught" if failed else "SURVIVED", "failed: " + ", ".join(failed) if failed else "")
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
            os.utime(path)  # newer than the broken objects: the next build restores them
        report(m["name"], *outcome, time.time() - t0)

    caught = sum(r[1] == "caught" for r in results)
    print(f"\n{caught} caught, {sum(r[1] == 'SURVIVED' for r in results)} survived, "
          f"{sum(r[1] not in ('caught', 'SURVIVED') for r in results)} not run (stale, invalid or build error) "
          f"of {len(results)}; log: {s.log}")
    for name, result, detail, _ in results:
        if result != "caught":
            why = next(m.get("why", "") for m in mutants if m["name"] == name)
            print(f"  {name}: {result}{' - ' + detail if detail else ''}{' (' + why + ')' if why else ''}")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
