pool --common-tau2 tests/cli/data/good.csv
