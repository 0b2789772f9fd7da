#!/bin/sh
# Run the fuzz targets built by `make fuzz` for a bounded time each, two at a time (the
# machine has 2 cores), each seeded from the inputs of its kind; fail on any crash, leak,
# sanitizer report or hang (-timeout: an input running longer than 10 s).
# Usage: sh tests/fuzz/run.sh BUILD SECONDS REFERENCE_DIR TARGET...
# A failing input is kept as BUILD/crash-TARGET-* (reproduce: BUILD/TARGET FILE).
set -u
build=$1
seconds=$2
ref=$3
shift 3
# seeds_for TARGET DIR: copy the seed inputs of TARGET into DIR.
seeds_for() {
    case $1 in
    fuzz_claims) set -- "$2" data/claims.csv tests/cli/data/*claims*.csv ;;
    fuzz_reviews) set -- "$2" data/published_reviews.csv tests/cli/data/*reviews*.csv ;;
    fuzz_pool) set -- "$2" tests/fuzz/pool-seeds/* ;;
    *) set -- "$2" tests/cli/data/*.csv "$ref"/*.csv data/*.csv data/examples/*.csv ;;
    esac
    dir=$1
    shift
    rm -rf "$dir" && mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
    done
}
# start TARGET: run one target in the background; its pid goes to BUILD/TARGET.pid.
start() {
    seeds="$build/seeds-$1"
    corpus="$build/corpus-$1"
    seeds_for "$1" "$seeds"
    mkdir -p "$corpus"
    dict=""
    [ "$1" = fuzz_pool ] || dict=-dict=tests/fuzz/csv.dict
    "$build/$1" -max_total_time="$seconds" -timeout=10 -max_len=16384 $dict \
        -artifact_prefix="$build/crash-$1-" -print_final_stats=1 "$corpus" "$seeds" \
        >"$build/$1.log" 2>&1 &
    echo $! >"$build/$1.pid"
}
# finish TARGET: wait for it and report.
finish() {
    if wait "$(cat "$build/$1.pid")"; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$1.log")
        echo "fuzz: $1: ${seconds}s, ${runs:-?} inputs, no failure" \
             "(corpus: $(ls "$build/corpus-$1" | wc -l) files)"
    else
        echo "fuzz: $1 FAILED (log: $build/$1.log):"
        grep -E "^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)|runtime error|ALARM|timeout" \
            "$build/$1.log" | head -20 | sed 's/^/    /'
        fail=1
    fi
}
fail=0
while [ $# -gt 0 ]; do
    first=$1
    shift
    second=""
    if [ $# -gt 0 ]; then second=$1; shift; fi
    start "$first"
    [ -n "$second" ] && start "$second"
    finish "$first"
    [ -n "$second" ] && finish "$second"
done
exit $fail
