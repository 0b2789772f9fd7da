regress tests/cli/data/moderators.csv
