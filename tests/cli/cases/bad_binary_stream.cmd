pool "$TMPD/zero.csv"
