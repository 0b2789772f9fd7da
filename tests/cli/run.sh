#!/bin/sh
# Command-line tests: each tests/cli/cases/NAME.cmd holds the arguments of one run of
# iastm (shell words, run from the repository root; $SHARED is the shared folder), and
# NAME.out, NAME.err, NAME.status the exact expected stdout, stderr and exit status.
# Usage: IASTM=build/iastm SHARED=../shared sh tests/cli/run.sh [--update] [NAME...]
# --update rewrites the expectations from the current program (review the diff!).
set -u
IASTM=${IASTM:-build/iastm}
SHARED=${SHARED:-../shared}
export SHARED
update=0
[ "${1:-}" = "--update" ] && { update=1; shift; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
if [ $# -gt 0 ]; then
    cases=""
    for n in "$@"; do cases="$cases tests/cli/cases/$n.cmd"; done
else
    cases=$(ls tests/cli/cases/*.cmd)
fi
for c in $cases; do
    name=${c%.cmd}
    base=$(basename "$name")
    args=$(cat "$c")
    eval "set -- $args"
    "$IASTM" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    echo $? >"$tmp/status"
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
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
