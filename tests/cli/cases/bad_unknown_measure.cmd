pool --measure OR tests/cli/data/good.csv
