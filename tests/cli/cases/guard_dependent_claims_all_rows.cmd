claims --all-rows --claims data/claims.csv --format csv tests/cli/data/dependent.csv
