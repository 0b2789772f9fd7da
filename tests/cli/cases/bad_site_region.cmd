pool tests/cli/data/bad_site_region.csv
