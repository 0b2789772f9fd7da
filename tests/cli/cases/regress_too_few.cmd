regress --mods setting,weeks,region tests/cli/data/moderators.csv
