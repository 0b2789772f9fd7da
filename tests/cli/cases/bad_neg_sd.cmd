pool tests/cli/data/neg_sd.csv
