mv --cluster cluster --method DL data/examples/konstantopoulos2011.csv
