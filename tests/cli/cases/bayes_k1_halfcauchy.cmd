bayes --tau-prior halfcauchy:1 $TMPD/one.csv
