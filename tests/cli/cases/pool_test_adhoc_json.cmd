pool --test adhoc --format json tests/reference/bcg.csv
