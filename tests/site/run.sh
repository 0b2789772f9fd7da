#!/bin/sh
# make site-test: the evidence page, made from the committed analyses/results and plots/
# into BUILD/site/index.html (make test does not need make analyses to have run):
#   - a second run gives the same bytes;
#   - text from the data is escaped (tests/site/escape.py);
#   - in headless Chromium at 1280 and 390 px: nothing wider than the viewport, every figure
#     drawn and readable, every claim with its verdict, every trial's link present
#     (tests/site/check.py); screenshots in BUILD/site-1280*.png and BUILD/site-390*.png.
# The browser checks are skipped, with a message, only when Chromium cannot be installed.
# Usage: sh tests/site/run.sh build/iastm build
set -u
IASTM=$1
BUILD=$2
OUT=$BUILD/site
mkdir -p "$OUT"
fail=0
python3 analyses/site.py --iastm "$IASTM" --out "$OUT/index.html" || exit 1
python3 analyses/site.py --iastm "$IASTM" --out "$OUT/again.html" || exit 1
if cmp -s "$OUT/index.html" "$OUT/again.html"; then
    echo "site: a second run gives the same page"
else
    echo "FAIL: site: two runs on the same inputs gave different pages"; fail=1
fi
python3 tests/site/escape.py --iastm "$IASTM" --tmp "$OUT/escape" || fail=1
if ! scripts/deps.sh --browser; then
    echo "site-test: SKIPPED the browser checks: Chromium is not installed and cannot be installed here"
    exit $fail
fi
python3 tests/site/check.py --page "$OUT/index.html" --widths 1280,390 --shots "$BUILD/site" --self-contained \
    --claims analyses/results/claims.json --trials data/trials.csv || fail=1
exit $fail
