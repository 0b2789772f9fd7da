bubble --mods weeks --gnuplot /nonexistent/gnuplot -o $TMPD/bubble.png tests/cli/data/moderators.csv
