pool "$TMPD/nul.csv"
