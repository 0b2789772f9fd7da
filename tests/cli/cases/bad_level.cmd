pool --level 150 tests/cli/data/good.csv
