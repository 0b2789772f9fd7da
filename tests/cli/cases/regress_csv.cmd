regress --mods weeks --format csv tests/cli/data/moderators.csv
