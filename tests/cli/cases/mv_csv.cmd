mv --cluster cluster --obs obs --format csv --no-sigma2-ci data/examples/konstantopoulos2011.csv
