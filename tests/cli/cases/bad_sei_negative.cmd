pool tests/cli/data/bad_sei_negative.csv
