pool tests/cli/data/bad_vi_negative.csv
