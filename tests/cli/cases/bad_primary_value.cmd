pool --primary tests/cli/data/bad_primary_value.csv
