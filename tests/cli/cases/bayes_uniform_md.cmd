bayes --format md --tau-prior uniform:0:2 data/examples/normand1999.csv
