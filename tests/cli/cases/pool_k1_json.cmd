pool --format json tests/cli/data/one_study.csv
