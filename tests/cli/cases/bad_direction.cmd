pool tests/cli/data/bad_direction.csv
