mv --obs obs data/examples/konstantopoulos2011.csv
