permutest --mods nosuch data/examples/bcg.csv
