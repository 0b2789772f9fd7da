bayes --tau-prior jeffreys $TMPD/one.csv
