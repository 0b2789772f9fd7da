pool -o "$TMPD/pool.txt" --by nosuch tests/cli/data/good.csv
