pool --maxiter 2 --format text tests/reference/bcg.csv
