pool -o "$TMPD/pool.txt" tests/cli/data/neg_sd.csv
