pool tests/cli/data/bad_nan.csv
