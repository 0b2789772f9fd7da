funnel -o $TMPD/f.png tests/cli/data/dependent.csv
