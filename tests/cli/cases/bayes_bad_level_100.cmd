bayes --level 100 data/examples/bcg.csv
