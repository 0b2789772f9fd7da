mv --cluster cluster --rho 1 data/examples/konstantopoulos2011.csv
