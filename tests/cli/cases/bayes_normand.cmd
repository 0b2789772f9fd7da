bayes data/examples/normand1999.csv
