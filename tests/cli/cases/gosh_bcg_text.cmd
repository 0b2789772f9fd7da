gosh --method FE --threads 1 $SHARED/reference/bcg.csv
