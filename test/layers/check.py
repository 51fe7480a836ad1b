#!/usr/bin/env python3
"""check.py - the milter's modules form a pipeline with no circles.

Two graphs are read from the build and the sources:
  - calls: module A -> module B when A's object file uses a function or
    variable that B's object file defines (nm);
  - includes: A -> B when A.c or A.h includes B.h.
A module is one .c file with its .h. The check fails when a circle
exists among modules (in either graph), or when a module reaches into a
folder that is not below its own in LAYERS (doc/ARCHITECTURE.md).

usage: check.py SRCDIR BUILDDIR
"""
import os
import re
import subprocess
import sys

# folder -> the folders it may use (besides itself); the pipeline,
# read top to bottom: each stage uses only stages listed after it
LAYERS = {
    "protocol": {"cli", "complaint", "config", "classify", "reply",
                 "ledger", "evidence", "parse", "util"},
    "cli": {"complaint", "config", "classify", "reply", "ledger",
            "evidence", "parse", "util"},
    "complaint": {"config", "classify", "reply", "ledger", "evidence",
                  "parse", "util"},
    "config": {"classify", "reply", "ledger", "evidence", "parse", "util"},
    "reply": {"classify", "ledger", "evidence", "parse", "util"},
    "ledger": {"util"},
    "classify": {"evidence", "parse", "util"},
    "evidence": {"parse", "util"},
    "parse": {"util"},
    "util": set(),
}


def modules(src):
    """name ('parse/mime') -> folder, for every .c and .h under milter/"""
    mods = {}
    for folder in sorted(os.listdir(os.path.join(src, "milter"))):
        d = os.path.join(src, "milter", folder)
        if not os.path.isdir(d) or folder not in LAYERS:
            continue
        for f in os.listdir(d):
            if f.endswith((".c", ".h")):
                mods[folder + "/" + f[:-2]] = folder
    return mods


def include_edges(src, mods):
    edges = {m: set() for m in mods}
    pat = re.compile(r'^\s*#\s*include\s+"([a-z_]+/[a-z_0-9]+)\.h"', re.M)
    for m in mods:
        for ext in (".c", ".h"):
            p = os.path.join(src, "milter", m + ext)
            if os.path.exists(p):
                for inc in pat.findall(open(p, encoding="utf-8").read()):
                    if inc != m and inc in mods:
                        edges[m].add(inc)
    return edges


def nm(path, flags):
    out = subprocess.run(["nm", flags, path], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\n")


def call_edges(src, build, mods, missing):
    defined, used = {}, {}
    for m in mods:
        obj = os.path.join(build, "milter", m + ".o")
        if not os.path.exists(obj):
            # a source without its object would hide its calls
            if os.path.exists(os.path.join(src, "milter", m + ".c")):
                missing.append(m)
            continue
        used[m] = set()
        for line in nm(obj, "-P"):
            parts = line.split()
            if len(parts) < 2:
                continue
            sym, kind = parts[0], parts[1]
            if kind == "U":
                used[m].add(sym)
            elif kind in "TDBR":
                defined[sym] = m
    edges = {m: set() for m in mods}
    for m, syms in used.items():
        for s in syms:
            d = defined.get(s)
            if d and d != m:
                edges[m].add(d)
    return edges


def circles(edges):
    """strongly connected components with more than one module (Tarjan)"""
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    src, build = sys.argv[1], sys.argv[2]
    mods = modules(src)
    missing = []
    graphs = (("includes", include_edges(src, mods)),
              ("calls", call_edges(src, build, mods, missing)))
    for m in missing:
        print(f"no object file for milter/{m}.c: build first")
    bad = len(missing)
    for kind, edges in graphs:
        for comp in circles(edges):
            print(f"circle ({kind}): " + " <-> ".join(comp))
            bad += 1
        for a in sorted(edges):
            for b in sorted(edges[a]):
                fa, fb = mods[a], mods[b]
                if fa != fb and fb not in LAYERS[fa]:
                    print(f"upward ({kind}): {a} -> {b}")
                    bad += 1
    # a module is counted once even when both graphs show it
    print(f"{len(mods)} files, {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
