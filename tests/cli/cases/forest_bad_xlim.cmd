forest --xlim 2,1 -o plot.png tests/cli/data/forest_hostile.csv
