mv --che --arm nosuch tests/cli/data/multiarm.csv
