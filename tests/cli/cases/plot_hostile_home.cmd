forest -o "$TMPD/plain.pdf" data/examples/bcg.csv
