pool --test t tests/reference/bcg.csv
