pool --maxiter 2 --format json tests/reference/bcg.csv
