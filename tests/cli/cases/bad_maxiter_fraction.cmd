loo --maxiter 2.5 tests/reference/bcg.csv
