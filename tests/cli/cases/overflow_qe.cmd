regress --mods x tests/cli/data/overflow_qe.csv
