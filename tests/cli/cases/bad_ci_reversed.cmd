pool tests/cli/data/bad_ci_reversed.csv
