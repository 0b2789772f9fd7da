pool tests/cli/data/bad_huge_effects.csv
