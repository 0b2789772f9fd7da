evidence --reviews tests/cli/data/bad_reviews_k_fraction.csv tests/cli/data/trials_mini.csv
