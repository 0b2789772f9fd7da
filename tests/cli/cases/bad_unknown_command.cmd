poool tests/cli/data/good.csv
