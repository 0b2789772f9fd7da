"""Read and write the command-line case files of tests/cli/cases (NAME.case).

A case file is text in sections. A section starts with a marker line

    #### NAME            the section's body is the lines up to the next marker or the end
    #### NAME no-eol     the same, without the final newline of the body

Lines before the first marker describe the case and are ignored. The sections, each at
most once, in this order when written:

    args         the arguments of one run of iastm (shell words, may use $TMPD)   required
    needs        programs the case needs, separated by blanks (e.g. gnuplot): when one
                 is not installed the case is skipped with a message, not failed
    setup        sh snippet run before the case (e.g. to generate a large input)
    stdin        what the run reads on its standard input (else /dev/null)
    stdout-file  one line: a file that receives the run's stdout instead (e.g. /dev/full)
    check        sh snippet run after the case; its stdout and stderr are appended to
                 the case's stdout and so compared with the stdout section
    status       the expected exit status                                          required
    stdout       the expected standard output (missing: empty)
    stderr       the expected standard error (missing: empty)

Markers cannot collide with a body: a body line that starts with "####" after zero or
more backslashes is written with one more backslash in front, and one is removed on
reading (the quoting of mboxrd). Bodies are bytes; the existing cases are UTF-8 text.
"""

import re

SECTIONS = ("args", "needs", "setup", "stdin", "stdout-file", "check", "status", "stdout",
            "stderr")
REQUIRED = ("args", "status")
# Sections whose body is compared or rewritten by --update; an empty one is not written.
EXPECTED = ("status", "stdout", "stderr")

_MARKER = re.compile(rb"^#### ([a-z-]+)( no-eol)?$")
_QUOTED = re.compile(rb"^\\*####")


class CaseError(Exception):
    pass


def parse(data, where="case"):
    """Return (description bytes, {section: body bytes}) of the text of a case file."""
    desc = []
    sections = {}
    current = None
    noeol = False
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif data:
        raise CaseError(f"{where}: the file does not end with a newline")

    def close():
        if current is not None:
            body = sections[current]
            if noeol:
                if not body.endswith(b"\n"):
                    raise CaseError(f"{where}: section '{current}' marked no-eol is empty")
                sections[current] = body[:-1]

    for lineno, line in enumerate(lines, 1):
        if line.startswith(b"####"):
            m = _MARKER.match(line)
            if not m or m.group(1).decode() not in SECTIONS:
                raise CaseError(f"{where}:{lineno}: unknown section marker "
                                f"'{line.decode(errors='replace')}'")
            close()
            current = m.group(1).decode()
            noeol = m.group(2) is not None
            if current in sections:
                raise CaseError(f"{where}:{lineno}: section '{current}' appears twice")
            sections[current] = b""
            continue
        if _QUOTED.match(line):
            line = line[1:]
        if current is None:
            desc.append(line + b"\n")
        else:
            sections[current] += line + b"\n"
    close()
    for s in REQUIRED:
        if s not in sections:
            raise CaseError(f"{where}: no '{s}' section")
    return b"".join(desc), sections


def format_case(desc, sections):
    """The text of a case file (bytes): the inverse of parse()."""
    out = [desc]
    for name in SECTIONS:
        if name not in sections:
            continue
        body = sections[name]
        if name in EXPECTED and name != "status" and body == b"":
            continue
        noeol = body != b"" and not body.endswith(b"\n")
        out.append(b"#### " + name.encode() + (b" no-eol" if noeol else b"") + b"\n")
        if noeol:
            body += b"\n"
        for line in body.split(b"\n")[:-1]:
            out.append((b"\\" if _QUOTED.match(line) else b"") + line + b"\n")
    return b"".join(out)


def self_test():
    """Round trips of the bodies that could be mistaken for markers or lose a byte."""
    bodies = [b"", b"\n", b"no newline", b"two\nlines\n", b"\n\nlast blank\n\n",
              b"#### stdout\n", b"\\#### stdout\n", b"\\\\####\n####", b"####x\n#\n"]
    for body in bodies:
        for name in ("setup", "stdout"):
            sections = {"args": b"--version\n", "status": b"0\n", name: body}
            text = format_case(b"", sections)
            _, back = parse(text, "self-test")
            got = back.get(name, b"")
            if got != body:
                raise CaseError(f"self-test: {body!r} in {name} reads back as {got!r}")
    for bad in (b"#### args\nx\n#### status\n0\n#### sdtout\n", b"#### args\nx\n",
                b"#### args\nx\n#### status\n0\n#### status\n0\n"):
        try:
            parse(bad, "self-test")
        except CaseError:
            continue
        raise CaseError(f"self-test: {bad!r} was accepted")
    print("casefile: self-test passed")


if __name__ == "__main__":
    self_test()
