mv --cluster cluster --obs obs data/examples/konstantopoulos2011.csv
