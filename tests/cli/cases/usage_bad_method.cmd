pool --method XYZ tests/cli/data/good.csv
