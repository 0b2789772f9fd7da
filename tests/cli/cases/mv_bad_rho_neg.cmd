mv --cluster cluster --rho -1.5 data/examples/konstantopoulos2011.csv
