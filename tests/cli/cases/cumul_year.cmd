cumul --order year data/examples/bcg.csv
