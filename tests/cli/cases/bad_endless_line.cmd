pool "$TMPD/line.csv"
