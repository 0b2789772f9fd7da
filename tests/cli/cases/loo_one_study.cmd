loo --where study=A tests/cli/data/good.csv
