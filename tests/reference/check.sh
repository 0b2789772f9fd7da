#!/bin/sh
# make reference: regenerate every file of tests/reference from R (metafor, clubSandwich,
# base R quadrature) into a temporary folder, compare with the committed files at the
# tolerances of tests/reference/README.md, and check that the example data in data/examples
# are the regenerated inputs. Usage: sh tests/reference/check.sh REFERENCE_DIR
set -u
ref=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! Rscript tests/reference/make_reference.R "$tmp/out" >"$tmp/R.log" 2>&1; then
    cat "$tmp/R.log" >&2
    echo "reference: make_reference.R failed" >&2
    exit 1
fi
python3 tests/reference/compare.py "$ref" "$tmp/out" || exit 1
for b in bcg normand1999 raudenbush1985 konstantopoulos2011; do
    f=data/examples/$b.csv
    b=$b.csv
    [ "$b" = konstantopoulos2011.csv ] && b=konstantopoulos2011.mv_input.csv
    if ! cmp -s "$f" "$tmp/out/$b"; then
        echo "reference: $f differs from the regenerated $b" >&2
        exit 1
    fi
done
echo "reference: the example data sets of data/examples equal the regenerated inputs"
