influence --maxiter 2 tests/reference/bcg.csv
