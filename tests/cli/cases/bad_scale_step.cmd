audit tests/cli/data/bad_scale_step.csv
