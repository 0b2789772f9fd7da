mv --cluster cluster --rho 0.6x data/examples/konstantopoulos2011.csv
