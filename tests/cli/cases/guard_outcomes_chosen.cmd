pool --where outcome=pain tests/cli/data/trials_mini.csv
