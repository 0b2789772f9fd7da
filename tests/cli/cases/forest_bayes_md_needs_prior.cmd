forest --bayes --measure MD -o x.png data/examples/normand1999.csv
