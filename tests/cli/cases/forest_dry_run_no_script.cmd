forest --dry-run -o plot.png tests/cli/data/forest_hostile.csv
