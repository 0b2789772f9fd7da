evidence --reviews tests/cli/data/bad_reviews_sign.csv tests/cli/data/trials_mini.csv
