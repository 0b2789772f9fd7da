pool tests/cli/data/bad_zero_sd.csv
