forest --dry-run --script "$TMPD/s.gp" -o '|touch M;x.png' data/examples/bcg.csv
