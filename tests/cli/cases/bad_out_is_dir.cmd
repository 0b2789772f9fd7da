pool -o "$TMPD" tests/cli/data/good.csv
