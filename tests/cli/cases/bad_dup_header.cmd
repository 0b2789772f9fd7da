pool tests/cli/data/bad_dup_header.csv
