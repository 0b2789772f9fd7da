evidence --reviews tests/cli/data/bad_reviews_ci_reversed.csv tests/cli/data/trials_mini.csv
