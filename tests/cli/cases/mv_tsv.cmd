mv --cluster cluster --obs obs --format tsv --no-sigma2-ci data/examples/konstantopoulos2011.csv
