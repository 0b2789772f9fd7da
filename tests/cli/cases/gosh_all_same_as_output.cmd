gosh --subsets 20 --seed 1 -o "$TMPD/link.txt" --all "$TMPD/out.txt" data/examples/bcg.csv
