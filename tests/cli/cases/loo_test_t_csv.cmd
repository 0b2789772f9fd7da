loo --test t --format csv tests/reference/bcg.csv
