gosh --threads 2 --format json data/examples/bcg.csv
