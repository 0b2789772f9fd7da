gosh --subsets 1 data/examples/bcg.csv
