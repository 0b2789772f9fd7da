es --preset revman5 --measure MD tests/cli/data/good.csv
