pool tests/cli/data/bad_after_quote.csv
