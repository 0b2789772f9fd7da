regress --mods ablat --level 0.9 tests/reference/bcg.csv
