#!/bin/sh
# Benchmark the resampling commands against R metafor on the same generated data:
# GOSH over all subsets (k = 12, 16; k = 25 for iastm alone), permutest with 10^4 random
# permutations (k = 16), bootstrap with 10^4 replicates (k = 12). iastm wall times include
# process start (short runs: mean of 20); R times are system.time() of the call alone
# (package loading excluded).
# Usage: sh bench/resampling.sh PROG
set -eu

bench_name=resampling
. bench/common.sh

for k in 12 16 25; do
    "$build/bench-gen" "$k" 20261121 >"$tmp/k$k.csv"
done
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

# Wall seconds of one command (its output goes to $tmp/out).
wall() {
    t0=$(date +%s.%N)
    "$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
    t1=$(date +%s.%N)
    echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }'
}

# Mean wall seconds over N runs, for the short runs: the clock reading and the shell's
# own overhead are then spread over N.
mean_of() {
    n=$1
    shift
    t0=$(date +%s.%N)
    i=0
    while [ "$i" -lt "$n" ]; do
        "$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
        i=$((i + 1))
    done
    t1=$(date +%s.%N)
    echo "$t0 $t1 $n" | awk '{ printf "%.4f\n", ($2 - $1) / $3 }'
}
best() {
    mean_of 20 "$@"
}

base=$(best "$prog" pool --method FE --no-tau2-ci --format json "$tmp/k12.csv")
gosh12_1=$(best "$prog" gosh --threads 1 --format json "$tmp/k12.csv")
gosh12_n=$(best "$prog" gosh --format json "$tmp/k12.csv")
gosh16_1=$(best "$prog" gosh --threads 1 --format json "$tmp/k16.csv")
gosh16_n=$(best "$prog" gosh --format json "$tmp/k16.csv")
gosh25_1=$(wall "$prog" gosh --threads 1 --format json "$tmp/k25.csv")
gosh25_n=$(wall "$prog" gosh --format json "$tmp/k25.csv")
perm_1=$(best "$prog" permutest --method REML --iter 10000 --threads 1 --format json "$tmp/k16.csv")
perm_n=$(best "$prog" permutest --method REML --iter 10000 --format json "$tmp/k16.csv")
boot_1=$(best "$prog" boot --method REML --reps 10000 --threads 1 --format json "$tmp/k12.csv")
boot_n=$(best "$prog" boot --method REML --reps 10000 --format json "$tmp/k12.csv")

r_gosh12=- r_gosh16=- r_perm=- r_boot=-
if command -v Rscript >/dev/null 2>&1 &&
   Rscript -e 'suppressMessages(library(metafor))' >/dev/null 2>&1; then
    cat >"$tmp/bench.R" <<EOF
suppressMessages(library(metafor))
el <- function(e) unname(system.time(e)["elapsed"])
d12 <- read.csv("$tmp/k12.csv"); d16 <- read.csv("$tmp/k16.csv")
g12 <- el(gosh(rma(yi, vi, data=d12, method="DL"), progbar=FALSE))
g16 <- el(gosh(rma(yi, vi, data=d16, method="DL"), progbar=FALSE))
# 2^16 sign flips > 10^4: both run 10^4 random permutations
res <- rma(yi, vi, data=d16, method="REML")
p <- el(permutest(res, iter=10000, progbar=FALSE))
# the same bootstrap in plain R: refit per replicate (metafor has no boot function)
set.seed(1)
b <- el(for (i in 1:10000) { j <- sample(12, replace=TRUE)
                             rma(d12\$yi[j], d12\$vi[j], method="REML") })
cat(g12, g16, p, b, "\n")
EOF
    if Rscript "$tmp/bench.R" >"$tmp/r.out" 2>"$tmp/r.err"; then
        set -- $(cat "$tmp/r.out")
        r_gosh12=$1 r_gosh16=$2 r_perm=$3 r_boot=$4
    else
        echo "bench: R run failed:" >&2
        cat "$tmp/r.err" >&2
    fi
fi

row() {
    # work, R seconds, iastm 1-thread seconds, iastm all-threads seconds; the last column
    # compares R with iastm's all-threads time less its start-up (start, read, one fit)
    awk -v w="$1" -v r="$2" -v a="$3" -v b="$4" -v z="$base" 'BEGIN {
        if (r == "-") { s1 = "-"; sn = "-"; sz = "-" }
        else { s1 = sprintf("%.0fx", r / a); sn = sprintf("%.0fx", r / b)
               net = b - z; if (net < 0.0001) net = 0.0001
               sz = sprintf("%.0fx", r / net) }
        printf "%-40s %8s %8s %8s %7s %7s %9s\n", w, r, a, b, s1, sn, sz }'
}

echo
echo "Resampling: seconds (R metafor 1 thread; iastm 1 thread and $ncpu threads) and speed-up"
printf '%-40s %8s %8s %8s %7s %7s %9s\n' work R iastm_1 "iastm_$ncpu" "x(1)" "x($ncpu)" "x(net)"
row "gosh DL, all 4095 subsets, k=12" "$r_gosh12" "$gosh12_1" "$gosh12_n"
row "gosh DL, all 65535 subsets, k=16" "$r_gosh16" "$gosh16_1" "$gosh16_n"
row "gosh DL, all 33554431 subsets, k=25" - "$gosh25_1" "$gosh25_n"
row "permutest REML, 10^4 permutations, k=16" "$r_perm" "$perm_1" "$perm_n"
row "bootstrap REML, 10^4 replicates, k=12" "$r_boot" "$boot_1" "$boot_n"
echo "iastm start-up (process start, CSV read, one FE fit): $base s; x(net) leaves it out,"
echo "as the R times leave out R's start and the package and data loading."
