evidence --reviews tests/cli/data/bad_reviews_ci_missing.csv tests/cli/data/trials_mini.csv
