pool --label author tests/cli/data/good.csv
