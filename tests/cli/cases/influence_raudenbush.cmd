influence data/examples/raudenbush1985.csv
