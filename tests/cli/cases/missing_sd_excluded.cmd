pool --where outcome=pain tests/cli/data/missing_sd_excluded.csv
