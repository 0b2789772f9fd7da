bias --estimator R0 --side left $SHARED/reference/raudenbush1985.csv
