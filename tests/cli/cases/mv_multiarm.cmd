mv --che tests/cli/data/multiarm.csv
