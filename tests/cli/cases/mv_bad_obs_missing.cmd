mv --cluster cluster --obs nosuch data/examples/konstantopoulos2011.csv
