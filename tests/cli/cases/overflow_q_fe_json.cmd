pool --method FE --format json tests/cli/data/overflow_q.csv
