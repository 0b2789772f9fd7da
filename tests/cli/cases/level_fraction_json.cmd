pool --level 0.95 --format json tests/reference/bcg.csv
