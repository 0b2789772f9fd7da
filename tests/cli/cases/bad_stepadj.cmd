pool --stepadj 0 tests/reference/bcg.csv
