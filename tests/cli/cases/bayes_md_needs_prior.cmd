bayes --measure MD data/examples/normand1999.csv
