bayes --tau-prior halfstudent:0.5 data/examples/bcg.csv
