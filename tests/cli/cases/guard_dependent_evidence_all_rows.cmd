evidence --all-rows --format csv tests/cli/data/dependent.csv
