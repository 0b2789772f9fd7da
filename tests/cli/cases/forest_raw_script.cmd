forest --dry-run --script - -o normand.svg data/examples/normand1999.csv
