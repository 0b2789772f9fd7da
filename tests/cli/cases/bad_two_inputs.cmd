pool tests/cli/data/good.csv tests/cli/data/good.csv
