pool --format json tests/cli/data/dependent.csv
