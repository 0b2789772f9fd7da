loo tests/cli/data/dependent.csv
