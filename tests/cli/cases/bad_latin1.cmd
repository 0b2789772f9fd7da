es "$TMPD/latin1.csv"
