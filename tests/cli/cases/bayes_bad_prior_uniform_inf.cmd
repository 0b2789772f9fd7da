bayes --tau-prior uniform:0:inf data/examples/bcg.csv
