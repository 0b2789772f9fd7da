pool --by g tests/cli/data/overflow_q_by.csv
