claims --claims tests/cli/data/bad_claims_comparator.csv tests/cli/data/trials_mini.csv
