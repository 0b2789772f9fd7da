pool tests/cli/data/bad_header_only.csv
