loo --method DL --format csv tests/cli/data/good.csv
