#!/bin/sh
# Command-line tests: one file per case, tests/cli/cases/NAME.case (command, optional
# stdin, setup and check snippets, expected stdout, stderr and exit status; the format is
# described in tests/cli/casefile.py). The runner is tests/cli/run.py; this keeps the
# usual entry point.
# Usage: IASTM=build/iastm sh tests/cli/run.sh [--update] [NAME...]
# --update rewrites the expectations from the current program (review the diff!).
# Old-style cases (NAME.cmd, .out, .err, .status, ...), e.g. from a merge: convert them
# with `python3 tests/cli/convert.py` (idempotent; checks each conversion byte for byte).
exec python3 "$(dirname "$0")/run.py" "$@"
