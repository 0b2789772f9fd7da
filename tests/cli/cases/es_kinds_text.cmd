es tests/cli/data/es_kinds.csv
