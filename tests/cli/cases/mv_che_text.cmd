mv --cluster cluster --obs obs --rho 0.6 data/examples/konstantopoulos2011.csv
