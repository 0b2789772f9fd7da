regress --mods ablat --format json data/examples/bcg.csv
