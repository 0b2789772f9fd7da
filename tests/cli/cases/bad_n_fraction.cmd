pool tests/cli/data/bad_n_fraction.csv
