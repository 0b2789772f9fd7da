pool tests/cli/data/bad_no_data_columns.csv
