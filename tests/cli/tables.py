#!/usr/bin/env python3
"""Read csv/tsv outputs back as a spreadsheet or R's read.csv would, and check that each
holds one rectangular table: one header line (unique, non-empty names), every row with as
many fields as the header, no blank line and no second header inside.

Usage: python3 tests/cli/tables.py FILE|DIR...   (.tsv files are read tab-separated; a
folder stands for its files in name order, "DIR: no file" when it is missing or empty)
Prints "NAME: R rows x C columns (first, ..., last)" per file, or the first problem and
exits 1.
"""
import csv
import os
import sys


def check(path):
    delim = "\t" if path.endswith(".tsv") else ","
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=delim, quoting=csv.QUOTE_NONE if delim == "\t"
                               else csv.QUOTE_MINIMAL))
    name = os.path.basename(path)
    if not rows:
        return "%s: empty" % name
    header = rows[0]
    if any(not h for h in header) or len(set(header)) != len(header):
        return "%s: header with empty or repeated names: %s" % (name, header)
    for i, r in enumerate(rows[1:], start=2):
        if not r:
            return "%s:%d: blank line inside the table" % (name, i)
        if r == header:
            return "%s:%d: a second header" % (name, i)
        if len(r) != len(header):
            return "%s:%d: %d fields, the header has %d" % (name, i, len(r), len(header))
    return "%s: %d rows x %d columns (%s, ..., %s)" % (name, len(rows) - 1, len(header),
                                                     header[0], header[-1])


def main(paths):
    status = 0
    files = []
    for p in paths:
        if os.path.isdir(p) and os.listdir(p):
            files += [os.path.join(p, n) for n in sorted(os.listdir(p))]
        elif os.path.isdir(p) or not os.path.exists(p) and not os.path.splitext(p)[1]:
            files.append((p,))
        else:
            files.append(p)
    for p in files:
        msg = "%s: no file" % os.path.basename(p[0]) if isinstance(p, tuple) else check(p)
        print(msg)
        if "rows x" not in msg and not isinstance(p, tuple):
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
