pool tests/cli/data/bad_inf.csv
