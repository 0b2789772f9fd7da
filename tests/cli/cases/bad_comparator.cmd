pool tests/cli/data/bad_comparator.csv
