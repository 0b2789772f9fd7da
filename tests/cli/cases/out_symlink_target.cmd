pool --format csv -o "$TMPD/link.txt" tests/cli/data/good.csv
