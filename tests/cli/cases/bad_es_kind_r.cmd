es tests/cli/data/bad_es_kind_r.csv
