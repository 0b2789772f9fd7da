forest --tau-prior halfnormal:1 -o x.png data/examples/bcg.csv
