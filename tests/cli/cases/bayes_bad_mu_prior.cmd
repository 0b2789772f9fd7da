bayes --mu-prior normal:0:-1 data/examples/bcg.csv
