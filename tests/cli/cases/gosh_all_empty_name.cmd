gosh --all '' data/examples/bcg.csv
