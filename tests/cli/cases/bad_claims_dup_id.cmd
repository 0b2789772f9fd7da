claims --claims tests/cli/data/bad_claims_dup_id.csv tests/cli/data/trials_mini.csv
