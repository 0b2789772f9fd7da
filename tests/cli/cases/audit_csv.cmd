audit --format csv tests/cli/data/audit.csv
