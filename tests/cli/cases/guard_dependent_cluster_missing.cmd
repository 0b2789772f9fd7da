pool --cluster nosuch tests/cli/data/good.csv
