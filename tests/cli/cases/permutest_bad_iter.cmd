permutest --iter 1 $SHARED/reference/bcg.csv
