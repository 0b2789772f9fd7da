# Shared start of the bench scripts (sourced): checks the PROG argument, builds the data
# generator, makes a temporary folder removed on exit. Sets prog, build and tmp.
# Usage, in a script:  bench_name=NAME; . bench/common.sh   (NAME: the script's name;
# the script's own arguments are seen here, as a sourced file shares them)
if [ $# -ne 1 ]; then
    echo "usage: sh bench/$bench_name.sh PROG" >&2
    exit 2
fi
prog=$1
if [ ! -x "$prog" ]; then
    echo "bench: '$prog' is not an executable" >&2
    exit 2
fi
build=${BUILD:-build}
mkdir -p "$build"
cc -O2 -std=c11 bench/gen.c -o "$build/bench-gen" -lm
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iastm-$bench_name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
