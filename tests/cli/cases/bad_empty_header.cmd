pool tests/cli/data/bad_empty_header.csv
