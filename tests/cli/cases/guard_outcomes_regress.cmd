regress --mods region tests/cli/data/trials_mini.csv
