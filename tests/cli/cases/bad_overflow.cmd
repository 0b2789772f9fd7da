pool tests/cli/data/bad_overflow.csv
