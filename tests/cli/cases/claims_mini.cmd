claims --claims tests/cli/data/claims_mini.csv --all-rows tests/cli/data/trials_mini.csv
