#!/usr/bin/env python3
"""Convert old-style command-line cases (NAME.cmd, .out, .err, .status and the optional
.setup, .check, .stdout, .needs) in tests/cli/cases into one file NAME.case each (the
format is described in tests/cli/casefile.py), then delete the old files.

Usage: python3 tests/cli/convert.py [--replace] [DIR]      (DIR: tests/cli/cases)

Idempotent: a directory without .cmd files is left as it is. Each written case is read
back and compared with the old files, byte for byte, before they are removed. When
NAME.case already exists with other content the case is refused unless --replace is
given (then the old files win: after a merge they are the newer ones).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import casefile  # noqa: E402

# Old file suffix -> section of the case file.
OLD = {"cmd": "args", "needs": "needs", "setup": "setup", "stdout": "stdout-file",
       "check": "check", "status": "status", "out": "stdout", "err": "stderr"}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def convert(d, name, replace):
    """Convert case NAME in directory D; return a message or raise CaseError."""
    sections = {}
    for ext, section in OLD.items():
        p = os.path.join(d, f"{name}.{ext}")
        if os.path.exists(p):
            sections[section] = read(p)
    for ext in ("out", "err", "status"):
        if OLD[ext] not in sections:
            raise casefile.CaseError(f"{name}: missing {name}.{ext}")
    text = casefile.format_case(b"", sections)
    _, back = casefile.parse(text, name)
    if {k: back.get(k, b"") for k in sections} != sections or set(back) - set(sections):
        raise casefile.CaseError(f"{name}: the case file does not read back as the old files")
    target = os.path.join(d, f"{name}.case")
    if os.path.exists(target) and read(target) != text and not replace:
        raise casefile.CaseError(f"{name}: {target} exists with other content "
                                 "(--replace to let the old files win)")
    with open(target + ".tmp", "wb") as f:
        f.write(text)
    os.replace(target + ".tmp", target)
    for ext in OLD:
        p = os.path.join(d, f"{name}.{ext}")
        if os.path.exists(p):
            os.remove(p)
    return f"{name}.case"


def main(argv):
    replace = "--replace" in argv
    args = [a for a in argv if a != "--replace"]
    d = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")
    names = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".cmd"))
    failed = 0
    for name in names:
        try:
            convert(d, name, replace)
        except casefile.CaseError as e:
            print(f"convert: {e}", file=sys.stderr)
            failed += 1
    # Old-style files without a .cmd are not cases: say so rather than leave them silently.
    stray = sorted(f for f in os.listdir(d) if f.rsplit(".", 1)[-1] in OLD
                   and not os.path.exists(os.path.join(d, f.rsplit(".", 1)[0] + ".cmd")))
    for f in stray:
        print(f"convert: {f}: old-style file without its case", file=sys.stderr)
    print(f"convert: {len(names) - failed} cases converted, {failed} refused")
    return 1 if failed or stray else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
