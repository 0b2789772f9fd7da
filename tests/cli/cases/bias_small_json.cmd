bias --format json tests/cli/data/good.csv
