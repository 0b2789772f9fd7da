pool tests/cli/data/bad_decimal_comma.csv
