#!/bin/sh
# Command-line tests: each tests/cli/cases/NAME.cmd holds the arguments of one run of
# iastm (shell words, run from the repository root), and
# NAME.out, NAME.err, NAME.status the exact expected stdout, stderr and exit status.
# Usage: IASTM=build/iastm sh tests/cli/run.sh [--update] [NAME...]
# --update rewrites the expectations from the current program (review the diff!).
# Optional, per case (each run from the repository root with $TMPD, a fresh empty
# directory for the case, and $IASTM exported; .cmd may use $TMPD too):
#   NAME.setup   sh snippet run before the case, e.g. to generate a large or binary input
#                under $TMPD instead of committing it; the case fails if it fails.
#   NAME.check   sh snippet run after the case; its output (stdout and stderr) is appended
#                to the case's stdout and so checked against NAME.out, e.g. to show that
#                an earlier -o result is untouched and no temporary file is left.
#   NAME.stdout  one line: a file that receives the case's stdout instead (e.g. /dev/full);
#                the captured stdout is then empty apart from NAME.check's output.
#   NAME.needs   programs the case needs (e.g. gnuplot), separated by blanks: when one is
#                not installed the case is skipped with a message, not failed.
# The directory's name is shown as $TMPD in the compared stdout and stderr.
set -u
IASTM=${IASTM:-build/iastm}
export IASTM
update=0
[ "${1:-}" = "--update" ] && { update=1; shift; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
skip=0
if [ $# -gt 0 ]; then
    cases=""
    for n in "$@"; do cases="$cases tests/cli/cases/$n.cmd"; done
else
    cases=$(ls tests/cli/cases/*.cmd)
fi
for c in $cases; do
    name=${c%.cmd}
    base=$(basename "$name")
    if [ -f "$name.needs" ]; then
        missing=""
        for prog in $(cat "$name.needs"); do
            command -v "$prog" >/dev/null 2>&1 || missing="$missing $prog"
        done
        if [ -n "$missing" ]; then
            echo "SKIP $base: not installed:$missing"; skip=$((skip + 1)); continue
        fi
    fi
    TMPD="$tmp/case"
    rm -rf "$TMPD" && mkdir "$TMPD" && export TMPD
    if [ -f "$name.setup" ] && ! sh "$name.setup" </dev/null; then
        echo "FAIL $base: $name.setup failed"; fail=$((fail + 1)); continue
    fi
    stdout="$tmp/out"
    [ -f "$name.stdout" ] && { : >"$tmp/out"; stdout=$(head -n 1 "$name.stdout"); }
    args=$(cat "$c")
    eval "set -- $args"
    "$IASTM" "$@" >"$stdout" 2>"$tmp/err" </dev/null
    echo $? >"$tmp/status"
    [ -f "$name.check" ] && sh "$name.check" >>"$tmp/out" 2>&1 </dev/null
    for part in out err; do # messages show the case directory as $TMPD
        sed "s|$TMPD|\$TMPD|g" "$tmp/$part" >"$tmp/$part.n" && mv "$tmp/$part.n" "$tmp/$part"
    done
    if [ $update -eq 1 ]; then
        cp "$tmp/out" "$name.out"; cp "$tmp/err" "$name.err"; cp "$tmp/status" "$name.status"
        continue
    fi
    ok=1
    for part in status out err; do
        if [ ! -f "$name.$part" ]; then
            echo "FAIL $base: missing $name.$part"; ok=0
        elif ! cmp -s "$tmp/$part" "$name.$part"; then
            echo "FAIL $base: $part differs"
            diff "$name.$part" "$tmp/$part" | head -20 | sed 's/^/    /'
            ok=0
        fi
    done
    if [ $ok -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
[ $update -eq 1 ] && { echo "cli: expectations updated"; exit 0; }
if [ $skip -gt 0 ]; then
    echo "cli: $pass passed, $fail failed, $skip skipped"
else
    echo "cli: $pass passed, $fail failed"
fi
[ $fail -eq 0 ]
