evidence --format csv tests/cli/data/dependent.csv
