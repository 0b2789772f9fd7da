pool tests/cli/data/bad_hex.csv
