forest -o plot.jpg tests/cli/data/forest_hostile.csv
