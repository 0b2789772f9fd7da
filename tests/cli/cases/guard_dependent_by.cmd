pool --by region tests/cli/data/dependent.csv
