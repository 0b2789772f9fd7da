pool tests/cli/data/bad_randomized.csv
