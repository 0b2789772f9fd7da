gosh --threads 2 --format json $SHARED/reference/bcg.csv
