pool tests/cli/data/one_study.csv
