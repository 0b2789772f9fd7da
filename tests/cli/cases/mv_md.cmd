mv --cluster cluster --obs obs --format md --no-sigma2-ci data/examples/konstantopoulos2011.csv
