bayes --tau-prior halfcauchy:0.5x data/examples/bcg.csv
