es --format json tests/cli/data/good.csv
