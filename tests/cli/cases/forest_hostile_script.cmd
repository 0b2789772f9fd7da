forest --script - -o "$TMPD/plot.png" "$TMPD/hostile.csv"
