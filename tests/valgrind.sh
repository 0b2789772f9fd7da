#!/bin/sh
# The test suite under valgrind (memcheck): every unit-test binary and every command-line
# case, each failing on any memory error or leak (--error-exitcode=99; a CLI case then
# also shows valgrind's report in its stderr). The metafor reference comparisons are left
# out here for time: they run the same code paths as the CLI cases.
# Usage: sh tests/valgrind.sh BUILD REFERENCE_DIR   (make valgrind)
set -u
build=$1
ref=$2
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind: not installed (Debian package valgrind)" >&2
    exit 1
fi
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --child-silent-after-fork=yes"
fail=0
for t in "$build"/tests/test_*; do
    case $t in *.d) continue ;; esac
    [ -x "$t" ] || continue
    if IASTM_REFERENCE=$ref $vg "$t" >"$t.valgrind.log" 2>&1; then
        echo "valgrind: $(basename "$t") clean"
    else
        echo "valgrind: $(basename "$t") FAILED (exit $?; log: $t.valgrind.log)"
        grep -E "^==[0-9]+== ?[A-Z]|^\[  FAILED" "$t.valgrind.log" | head -20 | sed 's/^/    /'
        fail=1
    fi
done
wrap="$build/iastm-valgrind"
printf '#!/bin/sh\nexec %s "%s/iastm" "$@"\n' "$vg" "$(cd "$build" && pwd)" >"$wrap"
chmod +x "$wrap"
# A run ended by a signal never joins its threads or frees its memory: what valgrind would
# call leaked is the killed process's live state. Signalled runs (tests/cli/signal.sh) are
# checked for memory errors only.
wrap_sig="$build/iastm-valgrind-signal"
printf '#!/bin/sh\nexec %s "%s/iastm" "$@"\n' \
    "valgrind -q --error-exitcode=99 --leak-check=no --child-silent-after-fork=yes" \
    "$(cd "$build" && pwd)" >"$wrap_sig"
chmod +x "$wrap_sig"
if IASTM=$wrap IASTM_SIGNALLED=$wrap_sig sh tests/cli/run.sh; then
    echo "valgrind: command-line cases clean"
else
    fail=1
fi
exit $fail
