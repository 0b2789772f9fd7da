pool --level 1 tests/reference/bcg.csv
