pool --col sd1=sd_pre tests/cli/data/good.csv
