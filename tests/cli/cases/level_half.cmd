pool --level 0.5 tests/reference/bcg.csv
