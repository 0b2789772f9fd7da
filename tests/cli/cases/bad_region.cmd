pool tests/cli/data/bad_region.csv
