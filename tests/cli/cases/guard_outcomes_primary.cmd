pool --primary tests/cli/data/trials_mini.csv
