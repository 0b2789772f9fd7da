bayes --level 1 data/examples/bcg.csv
