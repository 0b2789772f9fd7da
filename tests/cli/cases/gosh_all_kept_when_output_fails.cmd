gosh --subsets 50 --seed 1 --all "$TMPD/all.csv" -o /dev/full data/examples/bcg.csv
