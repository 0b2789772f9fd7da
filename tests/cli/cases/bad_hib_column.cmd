pool tests/cli/data/bad_hib_column.csv
