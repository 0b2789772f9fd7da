bayes --tau-prior halfcauchy:0.5 --format json data/examples/bcg.csv
