pool tests/cli/data/bad_percent.csv
