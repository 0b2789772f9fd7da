gosh --subsets 50 --seed 1 --all "$TMPD/all.csv" data/examples/bcg.csv
