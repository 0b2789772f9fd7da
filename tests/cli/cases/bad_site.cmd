pool tests/cli/data/bad_site.csv
