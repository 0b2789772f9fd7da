claims --claims tests/cli/data/bad_claims_empty_id.csv tests/cli/data/trials_mini.csv
