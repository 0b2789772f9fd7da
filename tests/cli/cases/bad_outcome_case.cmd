pool tests/cli/data/bad_outcome_case.csv
