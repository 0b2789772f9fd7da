bayes --tau-prior gamma:1:1 data/examples/bcg.csv
