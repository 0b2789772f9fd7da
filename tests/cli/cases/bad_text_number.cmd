pool tests/cli/data/text_number.csv
