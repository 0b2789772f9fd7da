bayes --margin abc data/examples/bcg.csv
