pool --by setting --common-tau2 --format csv tests/cli/data/moderators.csv
