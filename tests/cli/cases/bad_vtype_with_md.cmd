pool --measure MD --vtype UB tests/cli/data/good.csv
