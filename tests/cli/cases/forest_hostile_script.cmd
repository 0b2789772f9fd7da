forest --dry-run --script - -o plot.png tests/cli/data/forest_hostile.csv
