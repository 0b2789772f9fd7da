pool tests/cli/data/bad_condition_code.csv
