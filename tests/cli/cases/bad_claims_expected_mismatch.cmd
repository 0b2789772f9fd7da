claims --claims tests/cli/data/bad_claims_expected_mismatch.csv tests/cli/data/trials_mini.csv
