forest --script "$TMPD/script-link.gp" -o "$TMPD/plot-link.png" tests/cli/data/good.csv
