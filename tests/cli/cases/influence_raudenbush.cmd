influence $SHARED/reference/raudenbush1985.csv
