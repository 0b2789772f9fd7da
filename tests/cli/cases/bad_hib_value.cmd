pool tests/cli/data/bad_hib_value.csv
