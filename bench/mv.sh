#!/bin/sh
# Benchmark `PROG mv` (REML + CR2) on generated three-level data: 5 effects per cluster,
# mu = 0.3, sigma2_cluster = 0.05, sigma2_obs = 0.03, vi uniform on [0.01, 0.21].
# Time against the number of clusters (linear: each iteration is a sum over cluster
# blocks), and, when R with metafor and clubSandwich is installed, the same model by
# rma.mv(..., sparse = TRUE) + coef_test(vcov = "CR2") on 10,000 effects in 2,000
# clusters. iastm times include process start and reading the CSV; R times are
# system.time() of the two calls alone. Usage: sh bench/mv.sh PROG
set -eu
if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: sh bench/mv.sh PROG" >&2
    exit 2
fi
prog=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iastm-bench-mv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# gen M FILE: M clusters of 5 effects (awk's rand, seeded: deterministic per awk).
gen() {
    awk -v m="$1" 'function norm() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
        BEGIN { srand(20261201); print "cluster,obs,yi,vi"
                for (c = 1; c <= m; c++) { u = sqrt(0.05) * norm()
                    for (o = 1; o <= 5; o++) { v = 0.01 + 0.2 * rand()
                        printf "c%d,%d,%.10g,%.10g\n", c, o, 0.3 + u + sqrt(0.03) * norm() + sqrt(v) * norm(), v } } }' >"$2"
}

# secs CMD...: wall seconds of one run (stdout discarded)
secs() {
    python3 - "$@" <<'PY'
import subprocess, sys, time
t0 = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
if rc != 0:
    sys.exit(rc)
print("%.3f" % (time.perf_counter() - t0))
PY
}

echo "mv: REML + CR2 (no profile CIs), 5 effects per cluster"
printf '%10s %10s %10s %14s\n' clusters k seconds us_per_cluster
for m in 500 1000 2000 4000 8000 16000; do
    gen "$m" "$tmp/m$m.csv"
    s=$(secs "$prog" mv --cluster cluster --obs obs --no-sigma2-ci --format json "$tmp/m$m.csv")
    printf '%10s %10s %10s %14.1f\n' "$m" $((5 * m)) "$s" "$(echo "$s $m" | awk '{print 1e6 * $1 / $2}')"
done

f=$tmp/m2000.csv
it=$(secs "$prog" mv --cluster cluster --obs obs --no-sigma2-ci --format json "$f")
if command -v Rscript >/dev/null 2>&1 &&
    Rscript -e 'suppressMessages({library(metafor); library(clubSandwich)})' >/dev/null 2>&1; then
    r=$(Rscript -e '
        suppressMessages({library(metafor); library(clubSandwich)})
        d <- read.csv(commandArgs(TRUE)[1])
        t <- system.time({
            fit <- rma.mv(yi, vi, random = ~ 1 | cluster/obs, data = d, sparse = TRUE)
            ct <- coef_test(fit, vcov = "CR2")
        })[["elapsed"]]
        cat(sprintf("%.3f %.10g %.10g %.10g\n", t, fit$b[1], ct$SE[1], ct$df_Satt[1]))' "$f")
    set -- $r
    printf 'k = 10000, 2000 clusters: iastm %s s, R rma.mv(sparse = TRUE) + coef_test %s s: %s times faster\n' \
        "$it" "$1" "$(echo "$1 $it" | awk '{printf "%.0f", $1 / $2}')"
    printf '  R: estimate %s, CR2 se %s, df %s\n' "$2" "$3" "$4"
    "$prog" mv --cluster cluster --obs obs --no-sigma2-ci --format csv "$f" |
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 {
            printf "  iastm: estimate %.10g, CR2 se %.10g, df %.10g\n", $c["estimate"], $c["rve_se"], $c["rve_df"] }'
else
    printf 'k = 10000, 2000 clusters: iastm %s s (R with metafor and clubSandwich not found)\n' "$it"
fi
