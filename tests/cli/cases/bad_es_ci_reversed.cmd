es tests/cli/data/bad_es_ci_reversed.csv
