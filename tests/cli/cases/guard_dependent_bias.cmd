bias --format json tests/cli/data/dependent.csv
