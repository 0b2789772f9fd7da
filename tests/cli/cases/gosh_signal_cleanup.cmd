gosh --subsets 20 --seed 1 --format csv --all "$TMPD/small.csv" data/examples/bcg.csv
