pool --where outcome=pian tests/cli/data/trials_mini.csv
