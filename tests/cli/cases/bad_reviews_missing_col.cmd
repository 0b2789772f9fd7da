evidence --reviews tests/cli/data/bad_reviews_missing_col.csv tests/cli/data/trials_mini.csv
