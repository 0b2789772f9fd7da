forest --bayes --tau-prior halfnormal:0 -o x.png data/examples/bcg.csv
