pool --tau2-init -1 tests/reference/bcg.csv
