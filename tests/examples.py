#!/usr/bin/env python3
"""Run every example command the project shows its users.

Examples are taken from README.md (command lines in backticks or code blocks that start
with `iastm` or `build/iastm`), from `iastm --help`, from each `iastm COMMAND --help`
(the lines under "Examples:") and from the EXAMPLES section of man/iastm.1. Each runs from
the repository root, without a shell, with `iastm` replaced by the program under test;
output files (-o, --script, --all) are redirected into a temporary folder so the checkout
stays as it is. An example passes when it exits 0 and writes something (to stdout or to
its output files). Any example that cannot run fails the test.

Usage: examples.py --iastm build/iastm [--list]
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

OUTPUT_OPTIONS = ("-o", "--output", "--script", "--all")
PROMPT = re.compile(r"^\$?\s*(?:build/)?iastm(?:\s|$)")
PLACEHOLDER = re.compile(r"^[A-Z][A-Z_]+(\.csv)?$")  # a synopsis (iastm COMMAND --help)


def is_example(line):
    return bool(PROMPT.match(line)) and not any(PLACEHOLDER.match(w) for w in line.split())


def from_readme(path):
    """Command lines of README.md: backtick spans and indented code lines."""
    found = []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for line in text.splitlines():
        stripped = line.strip()
        if line.startswith("    ") and is_example(stripped):
            found.append(("README.md", stripped))
        for span in re.findall(r"`([^`]+)`", line):
            # a command line, not a command named in prose ("model them with `iastm mv`")
            if is_example(span) and (".csv" in span or "--help" in span):
                found.append(("README.md", span))
    return found


def from_help(iastm, command=None):
    """The lines under "Examples:" of a --help text, joining backslash continuations."""
    argv = [iastm] + ([command] if command else []) + ["--help"]
    out = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
    where = "iastm %s--help" % (command + " " if command else "")
    found, in_examples, pending = [], False, ""
    for line in out.splitlines():
        if re.match(r"^Examples?:", line):
            in_examples = True
            continue
        if in_examples and not line.strip():
            in_examples = False
        if not in_examples:
            continue
        line = pending + line.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        line = re.sub(r"\s{2,}\(.*\)$", "", line)  # a trailing "(comment)"
        if is_example(line):
            found.append((where, line))
    return found


def commands(iastm):
    """The command names listed by `iastm --help`."""
    out = subprocess.run([iastm, "--help"], capture_output=True, text=True, check=False).stdout
    names, in_list = [], False
    for line in out.splitlines():
        if line.startswith("Commands:"):
            in_list = True
            continue
        if in_list and not line.strip():
            break
        if in_list:
            names.append(line.split()[0])
    return names


def from_man(path):
    """Lines of the EXAMPLES section of the man page, roff escapes undone."""
    found, in_section, pending = [], False, ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(".SH"):
                in_section = "EXAMPLE" in line
                continue
            if not in_section or line.startswith("."):
                continue
            line = pending + line.replace("\\-", "-").replace("\\(aq", "'").replace("\\e", "\\")
            pending = ""
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            if is_example(line.strip()):
                found.append(("man/iastm.1", line.strip()))
    return found


def run(iastm, where, line, tmp, index):
    argv = shlex.split(line.lstrip("$ "))
    argv[0] = iastm
    outdir = os.path.join(tmp, "ex%03d" % index)
    os.makedirs(outdir)
    outputs = []
    for i, a in enumerate(argv[:-1]):
        if a in OUTPUT_OPTIONS and argv[i + 1] != "-":
            argv[i + 1] = os.path.join(outdir, os.path.basename(argv[i + 1]))
            outputs.append(argv[i + 1])
    try:
        p = subprocess.run(argv, capture_output=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return "timed out after 120 s"
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return "exit %d: %s" % (p.returncode, err[0] if err else "(no message)")
    wrote = bool(p.stdout.strip()) or any(os.path.isfile(o) and os.path.getsize(o) > 0
                                          for o in outputs)
    return None if wrote else "exit 0 but no output"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--iastm", required=True)
    ap.add_argument("--list", action="store_true", help="list the examples, run nothing")
    a = ap.parse_args()
    iastm = os.path.abspath(a.iastm)
    sources = {"README.md": from_readme("README.md"), "iastm --help": from_help(iastm),
               "man/iastm.1": from_man("man/iastm.1")}
    for c in commands(iastm):
        sources["iastm %s --help" % c] = from_help(iastm, c)
    # Every source shows examples: an empty one means the extraction broke (or a command's
    # help lost its examples), which would let examples go untested.
    empty = [name for name, found in sources.items() if not found]
    examples = [e for found in sources.values() for e in found]
    seen, unique = set(), []
    for where, line in examples:
        if (where, line) not in seen:
            seen.add((where, line))
            unique.append((where, line))
    if a.list:
        for where, line in unique:
            print("%s: %s" % (where, line))
        return 0
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (where, line) in enumerate(unique):
            problem = run(iastm, where, line, tmp, i)
            if problem:
                failed += 1
                print("examples: FAIL %s: %s\n    %s" % (where, line, problem))
    for name in empty:
        failed += 1
        print("examples: FAIL %s: no examples found" % name)
    print("examples: %d run from %d sources, %d failed" % (len(unique), len(sources), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
