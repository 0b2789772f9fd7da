claims --claims tests/cli/data/claims_depends.csv tests/cli/data/trials_flagged.csv
