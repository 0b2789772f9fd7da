pool "$TMPD/trials.xlsx"
