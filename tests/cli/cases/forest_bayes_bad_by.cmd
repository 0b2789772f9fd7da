forest --bayes --by alloc -o x.png data/examples/bcg.csv
