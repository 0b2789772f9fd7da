evidence --all-rows --reviews tests/cli/data/reviews_mini.csv tests/cli/data/trials_mini.csv
