forest --dry-run --script - -o normand.svg $SHARED/reference/normand1999.csv
