#!/bin/sh
# Benchmark `iastm bayes` (quadrature over tau; cost O(k) per node): k = 9 (normand1999,
# the size of an IASTM question; target under 5 ms including process start) and generated
# data at k = 5, 50, 500, 5000. Wall time per run including process start (mean of N runs
# for the short ones), the number of quadrature nodes, and microseconds per node and study.
# Usage: sh bench/bayes.sh PROG
set -eu

bench_name=bayes
. bench/common.sh

# "WALL_MS CPU_MS": means over N runs of PROG bayes --format json FILE (CPU: user + system
# of the runs, from getrusage; the wall time suffers when the machine is shared).
mean_ms() {
    python3 - "$prog" "$@" "$tmp/out" <<'PY'
import resource, subprocess, sys, time
prog, n, path, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.perf_counter()
for _ in range(n):
    with open(out, "w") as f:
        if subprocess.call([prog, "bayes", "--format", "json", path], stdout=f) != 0:
            sys.exit(1)
dt = time.perf_counter() - t0
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print("%.2f %.2f" % (dt * 1000 / n, cpu * 1000 / n))
PY
}

nodes() {
    sed -n 's/.*"nodes": \([0-9]*\).*/\1/p' "$tmp/out" | head -n 1
}

printf 'bayes (quadrature; per run, process start included)\n'
printf '%10s %10s %10s %8s %18s\n' k wall_ms cpu_ms nodes cpu_us_node_study
row() { # K FILE N [NOTE]
    set -- "$1" "$2" "$3" "${4:-}" $(mean_ms "$3" "$2")
    nd=$(nodes)
    printf '%10s %10s %10s %8s %18s   %s\n' "$1" "$5" "$6" "$nd" \
        "$(echo "$6 $nd $1" | awk '{ printf "%.3f", $1 * 1000 / $2 / $3 }')" "$4"
}
row 9 data/examples/normand1999.csv 50 "(normand1999; target < 5 ms)"
for k in 5 50 500 5000; do
    "$build/bench-gen" "$k" 20261121 >"$tmp/k$k.csv"
    n=20
    [ "$k" -ge 500 ] && n=3
    row "$k" "$tmp/k$k.csv" "$n"
done
