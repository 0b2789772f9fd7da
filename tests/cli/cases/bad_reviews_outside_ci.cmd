evidence --reviews tests/cli/data/bad_reviews_outside_ci.csv tests/cli/data/trials_mini.csv
