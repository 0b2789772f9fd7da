claims --claims tests/cli/data/bad_claims_condition.csv tests/cli/data/trials_sites.csv
