pool tests/cli/data/bad_p_one.csv
