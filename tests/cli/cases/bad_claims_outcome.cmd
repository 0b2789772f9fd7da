claims --claims tests/cli/data/bad_claims_outcome.csv tests/cli/data/trials_mini.csv
