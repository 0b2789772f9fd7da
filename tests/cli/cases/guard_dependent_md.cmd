pool --format md tests/cli/data/dependent.csv
