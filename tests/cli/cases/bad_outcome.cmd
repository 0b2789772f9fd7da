pool tests/cli/data/bad_outcome.csv
