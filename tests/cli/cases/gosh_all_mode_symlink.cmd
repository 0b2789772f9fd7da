gosh --subsets 20 --seed 1 --all "$TMPD/all-link.csv" -o "$TMPD/out-link.txt" data/examples/bcg.csv
