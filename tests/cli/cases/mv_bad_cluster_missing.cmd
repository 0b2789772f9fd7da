mv --cluster nosuch data/examples/konstantopoulos2011.csv
