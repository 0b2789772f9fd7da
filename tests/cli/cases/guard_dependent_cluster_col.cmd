pool --cluster region tests/cli/data/moderators.csv
