loo --format json tests/cli/data/trials_mini.csv
