cumul --decreasing tests/cli/data/good.csv
