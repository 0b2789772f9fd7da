forest --rho 0.5 -o k.png data/examples/bcg.csv
