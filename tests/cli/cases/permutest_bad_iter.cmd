permutest --iter 1 data/examples/bcg.csv
