regress --mods weeks,setting tests/cli/data/moderators.csv
