pool --by region tests/cli/data/moderators.csv
