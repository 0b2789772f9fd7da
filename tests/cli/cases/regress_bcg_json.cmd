regress --mods ablat --format json $SHARED/reference/bcg.csv
