pool --format tsv tests/cli/data/dependent.csv
