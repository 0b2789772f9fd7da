claims --claims tests/cli/data/bad_claims_region_case.csv tests/cli/data/trials_mini.csv
