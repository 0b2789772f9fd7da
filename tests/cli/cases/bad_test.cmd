pool --test hk tests/reference/bcg.csv
