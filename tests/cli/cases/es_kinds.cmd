es --format csv tests/cli/data/es_kinds.csv
