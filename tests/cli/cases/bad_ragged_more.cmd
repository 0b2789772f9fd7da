pool tests/cli/data/bad_ragged_more.csv
