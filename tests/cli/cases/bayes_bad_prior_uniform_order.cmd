bayes --tau-prior uniform:0.2:0.1 data/examples/bcg.csv
