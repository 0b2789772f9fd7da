claims --claims tests/cli/data/bad_claims_missing_col.csv tests/cli/data/trials_mini.csv
