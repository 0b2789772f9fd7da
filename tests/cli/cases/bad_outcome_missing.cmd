pool tests/cli/data/bad_outcome_missing.csv
