pool "$TMPD/huge.csv"
