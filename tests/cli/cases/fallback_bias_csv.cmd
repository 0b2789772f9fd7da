bias --maxiter 2 --format csv tests/reference/bcg.csv
