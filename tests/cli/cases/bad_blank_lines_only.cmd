pool "$TMPD/blank.csv"
