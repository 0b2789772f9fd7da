mv --che tests/cli/data/dependent.csv
