bayes --tau-prior halfnormal:-0.5 data/examples/bcg.csv
