pool tests/cli/data/no_such_file.csv
