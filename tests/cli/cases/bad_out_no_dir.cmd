pool -o "$TMPD/no/such/dir/pool.txt" tests/cli/data/good.csv
