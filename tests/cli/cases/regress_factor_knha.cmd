regress --mods region --test knha tests/cli/data/moderators.csv
