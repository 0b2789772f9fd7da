forest --gnuplot /nonexistent/gnuplot --script "$TMPD/plot.gp" -o "$TMPD/plot.png" tests/cli/data/good.csv
