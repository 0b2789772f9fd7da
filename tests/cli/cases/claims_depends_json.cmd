claims --format json --claims tests/cli/data/claims_depends.csv tests/cli/data/trials_depends.csv
