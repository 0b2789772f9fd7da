forest --dry-run --script - -o "$TMPD/a
b.png" data/examples/bcg.csv
