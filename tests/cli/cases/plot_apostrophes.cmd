forest --title "''" -o "$TMPD/a.svg" tests/cli/data/apostrophes.csv
