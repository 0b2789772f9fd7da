pool --by country tests/cli/data/good.csv
