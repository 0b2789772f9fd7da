forest --by nosuch -o plot.png tests/cli/data/forest_hostile.csv
