cumul --order nosuch tests/cli/data/good.csv
