evidence --reviews tests/cli/data/bad_reviews_region.csv tests/cli/data/trials_mini.csv
