boot --type bogus $SHARED/reference/bcg.csv
