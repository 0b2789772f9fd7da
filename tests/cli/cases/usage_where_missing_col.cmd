pool --where nosuch=1 tests/cli/data/good.csv
