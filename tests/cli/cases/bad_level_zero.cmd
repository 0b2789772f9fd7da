pool --level 0 tests/reference/bcg.csv
