pool tests/cli/data/bad_n_one.csv
