forest --cluster cluster --dry-run --script - -o k.png data/examples/konstantopoulos2011.csv
