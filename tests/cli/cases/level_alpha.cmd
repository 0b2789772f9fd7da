pool --level 0.1 tests/reference/bcg.csv
