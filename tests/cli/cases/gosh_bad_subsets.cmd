gosh --subsets 1 $SHARED/reference/bcg.csv
