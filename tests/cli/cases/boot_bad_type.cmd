boot --type bogus data/examples/bcg.csv
