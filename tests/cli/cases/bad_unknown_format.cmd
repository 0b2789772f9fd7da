pool --format xml tests/cli/data/good.csv
