es tests/cli/data/bad_es_kind_unknown.csv
