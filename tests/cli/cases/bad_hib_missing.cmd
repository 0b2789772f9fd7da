pool tests/cli/data/bad_hib_missing.csv
