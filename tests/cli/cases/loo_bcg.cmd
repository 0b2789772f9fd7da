loo data/examples/bcg.csv
