bayes --tau-prior lomax:1:0 data/examples/bcg.csv
