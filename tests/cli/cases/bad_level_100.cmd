regress --mods ablat --level 100 tests/reference/bcg.csv
