pool tests/cli/data/dependent.csv
