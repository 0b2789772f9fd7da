mv --cluster cluster --obs obs --method ML --no-sigma2-ci data/examples/konstantopoulos2011.csv
