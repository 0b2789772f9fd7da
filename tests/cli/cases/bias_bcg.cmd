bias data/examples/bcg.csv
