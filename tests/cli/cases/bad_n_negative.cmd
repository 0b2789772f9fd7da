pool tests/cli/data/bad_n_negative.csv
