regress --mods weeks,nosuch tests/cli/data/moderators.csv
