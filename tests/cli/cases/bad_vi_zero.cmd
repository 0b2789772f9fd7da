pool tests/cli/data/bad_vi_zero.csv
