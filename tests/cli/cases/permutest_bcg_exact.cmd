permutest --threads 2 --exact --method DL --format json $SHARED/reference/bcg.csv
