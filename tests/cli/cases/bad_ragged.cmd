pool tests/cli/data/ragged.csv
