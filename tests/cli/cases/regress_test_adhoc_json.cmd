regress --mods ablat --test adhoc --format json tests/reference/bcg.csv
