pool --common-tau2 tests/cli/data/moderators.csv
