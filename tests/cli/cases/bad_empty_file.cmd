pool "$TMPD/empty.csv"
