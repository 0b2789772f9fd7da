funnel --gnuplot /nonexistent/gnuplot -o funnel_missing_gnuplot.png tests/cli/data/forest_hostile.csv
