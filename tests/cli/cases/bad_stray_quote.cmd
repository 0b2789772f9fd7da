pool tests/cli/data/bad_stray_quote.csv
