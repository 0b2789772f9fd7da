claims --claims tests/cli/data/bad_claims_site.csv tests/cli/data/trials_sites.csv
