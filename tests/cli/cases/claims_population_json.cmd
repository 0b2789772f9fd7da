claims --format json --claims tests/cli/data/claims_population.csv tests/cli/data/trials_sites.csv
