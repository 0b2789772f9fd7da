mv --mods region --che tests/cli/data/dependent.csv
