forest -o "$TMPD/a
b.png" data/examples/bcg.csv
