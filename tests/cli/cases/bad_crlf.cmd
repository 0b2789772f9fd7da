pool "$TMPD/crlf.csv"
