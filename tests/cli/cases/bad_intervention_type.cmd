pool tests/cli/data/bad_intervention_type.csv
