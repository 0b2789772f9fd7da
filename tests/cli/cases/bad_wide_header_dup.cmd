es "$TMPD/wide.csv"
