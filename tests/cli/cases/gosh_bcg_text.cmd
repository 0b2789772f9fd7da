gosh --method FE --threads 1 data/examples/bcg.csv
