forest tests/cli/data/forest_hostile.csv
