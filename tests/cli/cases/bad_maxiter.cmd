pool --maxiter 0 tests/reference/bcg.csv
