pool --where country=fr tests/cli/data/good.csv
