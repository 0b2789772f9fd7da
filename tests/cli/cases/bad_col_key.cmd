pool --col effect=yi tests/cli/data/good.csv
