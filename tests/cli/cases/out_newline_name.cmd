pool -o "$TMPD/a
b.txt" data/examples/bcg.csv
