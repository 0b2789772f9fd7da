pool --by nosuch tests/cli/data/moderators.csv
