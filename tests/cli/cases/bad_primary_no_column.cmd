pool --primary tests/cli/data/good.csv
