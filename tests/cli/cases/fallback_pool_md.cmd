pool --maxiter 2 --format md tests/reference/bcg.csv
