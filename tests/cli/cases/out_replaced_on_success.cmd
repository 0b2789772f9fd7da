pool --format csv -o "$TMPD/pool.txt" tests/cli/data/good.csv
