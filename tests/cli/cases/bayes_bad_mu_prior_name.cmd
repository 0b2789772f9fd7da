bayes --mu-prior cauchy data/examples/bcg.csv
