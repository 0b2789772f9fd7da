#!/bin/sh
# Benchmark `PROG pool` on generated random-effects data, k = 10^3 .. 10^6:
# wall time and peak resident memory per k.  Usage: sh bench/run.sh PROG
set -eu

bench_name=run
. bench/common.sh

# One run of PROG pool on FILE; prints "SECONDS PEAK_RSS_MB".
measure() {
    if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
        /usr/bin/time -v "$prog" pool --method REML --format json "$1" \
            >"$tmp/out" 2>"$tmp/time" || { cat "$tmp/time" >&2; return 1; }
        awk -F': ' '
            /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
                                       for (i = 1; i <= n; i++) s = s * 60 + p[i] }
            /Maximum resident set size/ { kb = $2 }
            END { printf "%.2f %.1f\n", s, kb / 1024 }' "$tmp/time"
    elif command -v python3 >/dev/null 2>&1; then
        python3 - "$prog" "$1" "$tmp/out" <<'PY'
import resource, subprocess, sys, time
prog, path, out = sys.argv[1:4]
t0 = time.perf_counter()
with open(out, "w") as f:
    rc = subprocess.call([prog, "pool", "--method", "REML", "--format", "json", path], stdout=f)
dt = time.perf_counter() - t0
if rc != 0:
    sys.exit(rc)
print("%.2f %.1f" % (dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
PY
    else
        echo "bench: need /usr/bin/time (GNU) or python3 to measure memory" >&2
        return 1
    fi
}

printf '%10s %10s %14s\n' k seconds peak_RSS_MB
for k in 1000 10000 100000 1000000; do
    "$build/bench-gen" "$k" 20261121 >"$tmp/k$k.csv"
    set -- $(measure "$tmp/k$k.csv")
    printf '%10s %10s %14s\n' "$k" "$1" "$2"
done

# Every row written: `es --format csv` must stay linear in k (a per-row O(k) call once
# made 10^5 rows take 7.3 s).
printf '%10s %10s  (es --format csv)\n' k seconds
for k in 1000 10000 100000 1000000; do
    t0=$(date +%s.%N)
    "$prog" es --format csv "$tmp/k$k.csv" >"$tmp/out"
    t1=$(date +%s.%N)
    awk -v k="$k" -v a="$t0" -v b="$t1" 'BEGIN { printf "%10s %10.2f\n", k, b - a }'
done

# Resampling commands (gosh, permutest, boot) against R metafor when it is installed.
sh bench/resampling.sh "$prog"

# Bayesian random-effects model by quadrature (iastm bayes).
sh bench/bayes.sh "$prog"
sh bench/mv.sh "$prog"
