bayes --tau-prior jeffreys --mu-prior normal:0:1 --format csv $TMPD/one.csv
