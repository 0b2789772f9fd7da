pool "$TMPD/cr.csv"
