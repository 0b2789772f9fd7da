mv tests/cli/data/trials_mini.csv
