#!/bin/sh
# Run the fuzz targets built by `make fuzz` for a bounded time, both at once (SMD and
# --measure MD), seeded from the test inputs; fail on any crash, leak, sanitizer report
# or hang. Usage: sh tests/fuzz/run.sh BUILD SECONDS REFERENCE_DIR
# A crash input is kept as BUILD/crash-* (reproduce: BUILD/fuzz_table FILE).
set -u
build=$1
seconds=$2
ref=$3
seeds="$build/fuzz-seeds"
rm -rf "$seeds"
mkdir -p "$seeds"
for f in tests/cli/data/*.csv "$ref"/*.csv data/*.csv data/examples/*.csv; do
    [ -f "$f" ] && cp "$f" "$seeds/$(echo "$f" | tr '/' '_')"
done
pids=""
for target in fuzz_table fuzz_table_md; do
    corpus="$build/corpus-$target"
    mkdir -p "$corpus"
    "$build/$target" -max_total_time="$seconds" -timeout=10 -max_len=16384 \
        -dict=tests/fuzz/csv.dict -artifact_prefix="$build/crash-$target-" \
        -print_final_stats=1 "$corpus" "$seeds" >"$build/$target.log" 2>&1 &
    pids="$pids $!"
done
fail=0
set -- $pids
for target in fuzz_table fuzz_table_md; do
    if wait "$1"; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$target.log")
        echo "fuzz: $target: ${seconds}s, ${runs:-?} inputs, no crash" \
             "(corpus: $(ls "$build/corpus-$target" | wc -l) files)"
    else
        echo "fuzz: $target FAILED (log: $build/$target.log):"
        grep -E "^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)|runtime error" \
            "$build/$target.log" | head -20 | sed 's/^/    /'
        fail=1
    fi
    shift
done
exit $fail
