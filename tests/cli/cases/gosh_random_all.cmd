gosh --threads 2 --subsets 500 --seed 3 --all $TMPD/all.csv --format csv data/examples/bcg.csv
