forest --bayes --dry-run --script - -o bayes.png data/examples/normand1999.csv
