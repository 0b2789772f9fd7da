forest --by grp --dry-run --script - -o by.svg tests/cli/data/grouping.csv
