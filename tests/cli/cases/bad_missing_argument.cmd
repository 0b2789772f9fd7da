pool tests/cli/data/good.csv --method
