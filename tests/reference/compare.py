#!/usr/bin/env python3
"""Compare regenerated reference files with the committed ones (make reference).

Usage: compare.py COMMITTED_DIR REGENERATED_DIR

Every committed CSV must be regenerated with the same header, the same rows and the same
text cells; numbers must agree at the tolerances of tests/reference/README.md (relative,
with an absolute floor near zero). "NA" must stay "NA". Files regenerated but not
committed are reported too. Exit status 0 when all agree.
"""
import csv
import fnmatch
import math
import os
import sys

# (file pattern, column pattern, relative, absolute); the first match wins.
TOLERANCES = (
    ("*.es.csv", "*", 1e-10, 1e-12),
    ("*.pool.csv", "*", 1e-7, 1e-9),
    ("*.smalltests.csv", "*", 1e-7, 1e-9),
    ("*.egger_rma.csv", "*", 1e-7, 1e-9),
    ("*.bayes.csv", "tau_*", 1e-7, 1e-9),
    ("*.bayes.csv", "*", 1e-6, 1e-9),
    ("*.mv.csv", "*", 1e-6, 1e-9),
    ("*.subgroup.csv", "*", 1e-6, 1e-9),
    ("*.subgroup_test.csv", "*", 1e-6, 1e-9),
    ("*.metareg_*.csv", "*", 1e-6, 1e-9),
    ("*.bias.csv", "*", 1e-6, 1e-9),
    ("*.loo.csv", "*", 1e-6, 1e-9),
    ("*", "*", 1e-12, 1e-14),  # inputs: data, reproduced exactly
)


def tolerance(fname, col):
    for fpat, cpat, rel, absol in TOLERANCES:
        if fnmatch.fnmatch(fname, fpat) and fnmatch.fnmatch(col, cpat):
            return rel, absol
    raise AssertionError("no tolerance for %s" % fname)


def number(s):
    try:
        x = float(s)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def compare_file(name, old, new):
    """Returns (problems, worst relative difference)."""
    a, b = read(old), read(new)
    if not a or not b or a[0] != b[0]:
        return ["header differs: %s vs %s" % (a[0] if a else "-", b[0] if b else "-")], 0.0
    if len(a) != len(b):
        return ["%d rows, committed %d" % (len(b) - 1, len(a) - 1)], 0.0
    problems, worst = [], 0.0
    header = a[0]
    for r, (ra, rb) in enumerate(zip(a[1:], b[1:]), start=2):
        for col, x, y in zip(header, ra, rb):
            if x == y:
                continue
            nx, ny = number(x), number(y)
            if nx is None or ny is None:
                problems.append("line %d, %s: '%s' vs '%s'" % (r, col, x, y))
                continue
            rel, absol = tolerance(name, col)
            d = abs(nx - ny)
            worst = max(worst, d / abs(nx) if nx != 0 else d)
            if d > absol and d > rel * abs(nx):
                problems.append("line %d, %s: %s vs %s (rel %.1e > %.0e)"
                                % (r, col, x, y, d / abs(nx) if nx else d, rel))
    return problems, worst


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    old_dir, new_dir = sys.argv[1:]
    committed = sorted(f for f in os.listdir(old_dir) if f.endswith(".csv"))
    regenerated = set(f for f in os.listdir(new_dir) if f.endswith(".csv"))
    failed = 0
    for name in committed:
        if name not in regenerated:
            print("reference: %-36s NOT REGENERATED" % name)
            failed += 1
            continue
        problems, worst = compare_file(name, os.path.join(old_dir, name),
                                       os.path.join(new_dir, name))
        if problems:
            failed += 1
            print("reference: %-36s DIFFERS" % name)
            for p in problems[:10]:
                print("    " + p)
        else:
            print("reference: %-36s equal (max relative difference %.1e)" % (name, worst))
    for name in sorted(regenerated - set(committed)):
        print("reference: %-36s regenerated but not committed" % name)
        failed += 1
    print("reference: %d files, %d differ" % (len(committed), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
