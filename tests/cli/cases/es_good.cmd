es tests/cli/data/good.csv
