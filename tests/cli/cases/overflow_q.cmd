pool tests/cli/data/overflow_q.csv
