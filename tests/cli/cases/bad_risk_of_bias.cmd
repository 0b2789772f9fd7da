es tests/cli/data/bad_risk_of_bias.csv
