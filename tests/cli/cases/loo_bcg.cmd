loo $SHARED/reference/bcg.csv
