pool tests/cli/data/bad_trailing_junk.csv
