mv --cluster cluster --obs obs --che --format json data/examples/konstantopoulos2011.csv
