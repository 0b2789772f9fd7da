pool tests/cli/data/bad_p_negative.csv
