bayes --tau-prior jeffreys data/examples/bcg.csv
