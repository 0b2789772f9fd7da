#!/bin/sh
# Signal a running iastm, for the command-line cases (.check snippets).
# Usage: sh tests/cli/signal.sh [--wait FILE] SIG[,SIG...] IASTM-ARGS...
# Runs $IASTM with default signal dispositions in the background, waits (at most 20 s)
# until FILE exists, or else until a temporary output file ($TMPD/.iastm-*) holds data,
# sends the signals in order (0.2 s apart), waits (at most 20 s) for the end, and prints
# the exit status, stderr, and the temporary files left in $TMPD.
set -u
want=""
if [ "$1" = "--wait" ]; then want=$2; shift 2; fi
sigs=$1
shift
# $IASTM_SIGNALLED: the program to signal when it differs from $IASTM (under valgrind, one
# that does not report a killed process's memory as leaked)
env --default-signal "${IASTM_SIGNALLED:-$IASTM}" "$@" >"$TMPD/.sig.out" 2>"$TMPD/.sig.err" </dev/null &
pid=$!
ready() {
    if [ -n "$want" ]; then
        [ -e "$want" ]
    else
        for f in "$TMPD"/.iastm-*; do [ -s "$f" ] && return 0; done
        return 1
    fi
}
i=0
while ! ready; do
    i=$((i + 1))
    if [ $i -gt 400 ] || ! kill -0 $pid 2>/dev/null; then
        echo "not ready after $((i / 20)) s"; kill -KILL $pid 2>/dev/null; break
    fi
    sleep 0.05
done
for s in $(echo "$sigs" | tr ',' ' '); do
    kill -"$s" $pid 2>/dev/null
    sleep 0.2
done
i=0
while kill -0 $pid 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 400 ]; then echo "still running after 20 s: killed"; kill -KILL $pid; break; fi
    sleep 0.05
done
wait $pid
echo "exit status $?"
sed 's/^/stderr: /' "$TMPD/.sig.err"
rm -f "$TMPD/.sig.out" "$TMPD/.sig.err"
n=0
for f in "$TMPD"/.iastm-*; do [ -e "$f" ] && n=$((n + 1)); done
echo "temporary files left: $n"
