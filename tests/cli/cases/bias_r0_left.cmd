bias --estimator R0 --side left data/examples/raudenbush1985.csv
