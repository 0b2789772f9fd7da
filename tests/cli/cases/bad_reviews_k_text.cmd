evidence --reviews tests/cli/data/bad_reviews_k_text.csv tests/cli/data/trials_mini.csv
