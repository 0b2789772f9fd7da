pool tests/cli/data/unterminated.csv
