audit tests/cli/data/audit.csv
