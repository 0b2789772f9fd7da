#!/usr/bin/env python3
"""Check man/iastm.1 against the --help of the program: every command and every option.

The commands are those `iastm --help` lists; each must have an entry in the COMMANDS
section (a bold tag) and a subsection `.SS NAME` under COMMAND OPTIONS. The options of a
command are the option lines of `iastm NAME --help` (lines "  -x, --name ARG  text"
before "Examples:"). An option line printed word for word by SHARED or more commands
comes from a shared help part (input, output, model, plot, resampling options): its
options must appear in a section of the man page whose name ends in OPTIONS. Any other
option line is the command's own: its options must appear in the command's `.SS`
subsection. An option "appears" when the man text (with \\- read as -, font escapes
removed) holds it as a whole word. Also every long option of `iastm --help`. The check
tests itself: a copy of the man page without an option or a command entry must fail.

Usage: manpage.py --iastm build/iastm [--man man/iastm.1]
"""
import argparse
import re
import subprocess
import sys
from collections import Counter

from examples import commands  # the command names of `iastm --help`

SHARED = 3  # an option line in this many --help texts or more is a shared one
OPTION_LINE = re.compile(r"^ {2,4}(-{1,2}[A-Za-z0-9][\w-]*)")
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def run_help(iastm, command=None):
    argv = [iastm] + ([command] if command else []) + ["--help"]
    p = subprocess.run(argv, capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d" % (" ".join(argv), p.returncode))
    return p.stdout


def option_lines(text):
    """The option lines of a --help text: (line, [option names])."""
    out = []
    for line in text.splitlines():
        if line.startswith("Examples:"):
            break
        if not OPTION_LINE.match(line):
            continue
        head = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]  # before the description
        out.append((line.rstrip(), OPTION.findall(head)))
    return out


def plain(man):
    """man text with \\- as -, font and size escapes removed."""
    man = man.replace("\\-", "-").replace("\\(em", "--")
    return re.sub(r"\\f[BIRP]|\\s[+-]?\d", "", man)


def sections(man):
    """{.SH name: text}, and {.SS name: text} of the COMMAND OPTIONS section."""
    sh, ss, name, sub = {}, {}, None, None
    for line in man.splitlines():
        m = re.match(r'^\.SH\s+"?([^"]*)"?\s*$', line)
        if m:
            name, sub = m.group(1).strip(), None
            sh[name] = ""
            continue
        m = re.match(r'^\.SS\s+"?([^"]*)"?\s*$', line)
        if m and name == "COMMAND OPTIONS":
            sub = m.group(1).strip()
            ss[sub] = ""
            continue
        if name is not None:
            sh[name] += line + "\n"
        if sub is not None:
            ss[sub] += line + "\n"
    return sh, ss


def has(text, opt):
    return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), text) is not None


def check(iastm, man_text):
    """The problems of a man page text: a list of messages (empty: none)."""
    man = plain(man_text)
    sh, ss = sections(man)
    shared_text = "".join(t for n, t in sh.items()
                          if n.endswith("OPTIONS") and n != "COMMAND OPTIONS")
    main_help = run_help(iastm)
    cmds = commands(iastm)
    helps = {c: option_lines(run_help(iastm, c)) for c in cmds}
    count = Counter(line for c in cmds for line in {l for l, _ in helps[c]})
    bad = [] if cmds else ["iastm --help lists no command"]
    lines = sh.get("COMMANDS", "").splitlines()
    tags = set()
    for i, line in enumerate(lines):  # .TP, then the tag line: .B name[, name...]
        m = re.match(r"^\.B\s+(.*)$", lines[i + 1]) if line.startswith(".TP") and \
            i + 1 < len(lines) else None
        if m:
            tags.update(t.strip() for t in m.group(1).split(","))
    for opt in OPTION.findall(main_help):
        if opt.startswith("--") and not has(man, opt):
            bad.append("iastm --help: %s is not in the man page" % opt)
    for c in cmds:
        if c not in tags:
            bad.append("command %s has no entry in COMMANDS" % c)
        if c not in ss:
            bad.append("command %s has no '.SS %s' under COMMAND OPTIONS" % (c, c))
        for line, opts in helps[c]:
            shared = count[line] >= SHARED
            where = shared_text if shared else ss.get(c, "")
            for opt in opts:
                if not has(where, opt):
                    bad.append("iastm %s: %s (%s) is not in %s" % (
                        c, opt, line.strip()[:60],
                        "a shared OPTIONS section" if shared else "'.SS %s'" % c))
    return bad, len(cmds), sum(len(o) for c in cmds for _, o in helps[c])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iastm", required=True)
    ap.add_argument("--man", default="man/iastm.1")
    a = ap.parse_args()
    with open(a.man, encoding="utf-8") as f:
        text = f.read()
    bad, ncmd, nopt = check(a.iastm, text)
    for b in bad:
        print("FAIL man page: " + b)
    # the check itself: a man page without an option of a command or without a
    # command's entry must fail
    for what, cut in (("an own option", r"\\fB\\-\\-egger\\fR"),
                      ("a shared option", r"\\fB\\-\\-stepadj\\fR"),
                      ("a command entry", r"(?m)^\.TP\n\.B bias\n")):
        if not re.search(cut, text) or not check(a.iastm, re.sub(cut, "", text))[0]:
            bad.append("self-test: removing %s is not detected" % what)
            print("FAIL man page check: removing %s is not detected" % what)
    print("manpage: %d commands, %d options checked, %d problems" % (ncmd, nopt, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
