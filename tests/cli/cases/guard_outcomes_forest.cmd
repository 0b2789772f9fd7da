forest -o $TMPD/f.png tests/cli/data/trials_mini.csv
