pool -o '' data/examples/bcg.csv
