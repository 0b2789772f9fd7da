forest --script "$TMPD/plot.png" -o "$TMPD/./plot.png" tests/cli/data/good.csv
