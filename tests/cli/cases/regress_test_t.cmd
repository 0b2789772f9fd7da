regress --mods ablat --test t tests/reference/bcg.csv
