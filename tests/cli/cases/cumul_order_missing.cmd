cumul --order year tests/cli/data/grouping.csv
