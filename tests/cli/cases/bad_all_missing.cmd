pool tests/cli/data/bad_all_missing.csv
