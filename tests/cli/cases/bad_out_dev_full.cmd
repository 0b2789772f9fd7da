pool -o /dev/full tests/cli/data/good.csv
