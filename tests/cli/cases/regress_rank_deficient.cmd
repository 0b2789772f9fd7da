regress --mods weeks,days tests/cli/data/moderators.csv
