pool --primary tests/cli/data/dependent.csv
