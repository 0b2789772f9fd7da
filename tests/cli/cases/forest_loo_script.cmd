forest --dry-run --script - -o loo.png --type loo --xlim -2,1 data/examples/bcg.csv
