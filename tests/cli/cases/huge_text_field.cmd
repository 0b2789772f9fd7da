pool --format csv "$TMPD/huge.csv"
