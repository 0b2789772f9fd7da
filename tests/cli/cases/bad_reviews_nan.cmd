evidence --reviews tests/cli/data/bad_reviews_nan.csv tests/cli/data/trials_mini.csv
