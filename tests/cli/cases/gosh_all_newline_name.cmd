gosh --all "$TMPD/a	b.csv" data/examples/bcg.csv
