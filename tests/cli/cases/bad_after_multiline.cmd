pool tests/cli/data/bad_after_multiline.csv
