bayes --measure MD --tau-prior halfnormal:10 --format csv data/examples/normand1999.csv
