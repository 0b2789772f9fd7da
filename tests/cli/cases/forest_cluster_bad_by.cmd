forest --cluster cluster --by cluster -o k.png data/examples/konstantopoulos2011.csv
