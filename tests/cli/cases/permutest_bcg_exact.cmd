permutest --threads 2 --exact --method DL --format json data/examples/bcg.csv
