forest --gnuplot "$TMPD/slow-gnuplot" --dry-run --script "$TMPD/plot.gp" -o "$TMPD/plot.png" tests/cli/data/good.csv
