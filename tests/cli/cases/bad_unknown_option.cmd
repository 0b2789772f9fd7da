pool --frobnicate tests/cli/data/good.csv
