pool tests/cli/data/missing_sd_excluded.csv
