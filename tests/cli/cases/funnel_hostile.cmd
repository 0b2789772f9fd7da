funnel --title "''" -o "$TMPD/funnel.pdf" "$TMPD/hostile.csv"
