bias --estimator Q0 tests/cli/data/good.csv
