bias $SHARED/reference/bcg.csv
