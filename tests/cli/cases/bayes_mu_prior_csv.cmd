bayes --tau-prior halfstudent:0.5:4 --mu-prior normal:0:2 --margin -0.2 --format csv data/examples/raudenbush1985.csv
