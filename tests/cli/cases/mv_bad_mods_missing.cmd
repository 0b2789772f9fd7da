mv --cluster cluster --obs obs --mods nosuch data/examples/konstantopoulos2011.csv
