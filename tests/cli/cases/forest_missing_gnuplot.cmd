forest --gnuplot /nonexistent/gnuplot -o forest_missing_gnuplot.png tests/cli/data/forest_hostile.csv
