#!/usr/bin/env python3
"""Command-line tests: each tests/cli/cases/NAME.case holds one run of iastm (its
arguments, optional stdin, setup and check snippets) and the exact expected stdout, stderr
and exit status; the format is described in tests/cli/casefile.py.

Usage: IASTM=build/iastm python3 tests/cli/run.py [--update] [NAME...]
       (or sh tests/cli/run.sh, the same)
--update rewrites the expected status, stdout and stderr of the named cases (or of all)
from the current program: review the diff!

Each case runs from the repository root with $IASTM and $TMPD exported, $TMPD a fresh
empty directory for the case whose name is shown as $TMPD in the compared stdout and
stderr. The arguments are shell words (expanded by sh, so they may use $TMPD and quotes).

Cases in the old format (NAME.cmd, .out, .err, .status, ...), e.g. brought in by a merge,
are converted with `python3 tests/cli/convert.py` (idempotent); the runner refuses to run
while old-style files are present, so none is silently left out.
"""

import difflib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(HERE, "cases")
sys.path.insert(0, HERE)
import casefile  # noqa: E402

# Runs the case's arguments as shell words, with sh's quoting and expansion.
RUN = 'eval "set -- $1"; exec "$IASTM" "$@"'


def run_snippet(tmp, kind, body, stdout, stderr):
    path = os.path.join(tmp, kind)
    with open(path, "wb") as f:
        f.write(body)
    with open(os.devnull, "rb") as null:
        return subprocess.call(["sh", path], stdin=null, stdout=stdout, stderr=stderr)


def run_case(tmp, name, sections):
    """Run one case; return ({status, stdout, stderr} as bytes, None) or (None, reason)."""
    tmpd = os.path.join(tmp, "case")
    shutil.rmtree(tmpd, ignore_errors=True)
    os.mkdir(tmpd)
    os.environ["TMPD"] = tmpd
    if "setup" in sections and run_snippet(tmp, "setup", sections["setup"], None, None) != 0:
        return None, f"{name}: setup failed"
    out_path = os.path.join(tmp, "out")
    with open(out_path, "wb"):
        pass
    if "stdout-file" in sections:
        target = sections["stdout-file"].decode().split("\n")[0].replace("$TMPD", tmpd)
    else:
        target = out_path
    stdin_path = os.devnull
    if "stdin" in sections:
        stdin_path = os.path.join(tmp, "stdin")
        with open(stdin_path, "wb") as f:
            f.write(sections["stdin"])
    args = sections["args"].decode().rstrip("\n")
    with open(target, "wb") as out, open(stdin_path, "rb") as inp:
        p = subprocess.run(["sh", "-c", RUN, "iastm-case", args], stdin=inp, stdout=out,
                           stderr=subprocess.PIPE)
    status = p.returncode if p.returncode >= 0 else 128 - p.returncode
    if "check" in sections:
        with open(out_path, "ab") as out:
            run_snippet(tmp, "check", sections["check"], out, subprocess.STDOUT)
    with open(out_path, "rb") as f:
        stdout = f.read()
    t = tmpd.encode()
    return {"status": b"%d\n" % status, "stdout": stdout.replace(t, b"$TMPD"),
            "stderr": p.stderr.replace(t, b"$TMPD")}, None


def missing_programs(sections):
    progs = sections.get("needs", b"").decode().split()
    return [p for p in progs if shutil.which(p) is None]


def show_diff(want, got):
    lines = difflib.unified_diff(want.decode(errors="replace").splitlines(True),
                                 got.decode(errors="replace").splitlines(True),
                                 "expected", "got", n=1)
    for i, line in enumerate(lines):
        if i == 20:
            print("    ...")
            break
        print("    " + line.rstrip("\n"))


def main(argv):
    update = bool(argv) and argv[0] == "--update"
    if update:
        argv = argv[1:]
    os.chdir(ROOT)
    os.environ["IASTM"] = os.environ.get("IASTM", "build/iastm")
    old = sorted(f for f in os.listdir(CASES) if f.endswith(".cmd"))
    if old:
        print(f"cli: {len(old)} old-style case(s) in {CASES} (e.g. {old[0]}): "
              "convert them with python3 tests/cli/convert.py", file=sys.stderr)
        return 1
    if argv:
        paths = [a if a.endswith(".case") else os.path.join(CASES, a + ".case") for a in argv]
    else:
        paths = sorted(os.path.join(CASES, f) for f in os.listdir(CASES)
                       if f.endswith(".case"))
    npass = nfail = nskip = 0
    tmp = tempfile.mkdtemp()
    try:
        for path in paths:
            name = os.path.basename(path)[:-len(".case")]
            try:
                with open(path, "rb") as f:
                    desc, sections = casefile.parse(f.read(), path)
            except (OSError, casefile.CaseError) as e:
                print(f"FAIL {name}: {e}")
                nfail += 1
                continue
            missing = missing_programs(sections)
            if missing:
                print(f"SKIP {name}: not installed: {' '.join(missing)}")
                nskip += 1
                continue
            got, reason = run_case(tmp, name, sections)
            if got is None:
                print(f"FAIL {reason}")
                nfail += 1
                continue
            if update:
                sections.update(got)
                with open(path, "wb") as f:
                    f.write(casefile.format_case(desc, sections))
                continue
            ok = True
            for part in casefile.EXPECTED:
                want = sections.get(part, b"")
                if got[part] != want:
                    print(f"FAIL {name}: {part} differs")
                    show_diff(want, got[part])
                    ok = False
            if ok:
                npass += 1
            else:
                nfail += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if update:
        print("cli: expectations updated")
        return 0
    summary = f"cli: {npass} passed, {nfail} failed"
    if nskip:
        summary += f", {nskip} skipped"
    print(summary)
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(main(sys.argv[1:]))
