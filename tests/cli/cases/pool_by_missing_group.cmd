pool --by grp tests/cli/data/grouping.csv
