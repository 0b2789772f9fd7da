permutest --mods nosuch $SHARED/reference/bcg.csv
