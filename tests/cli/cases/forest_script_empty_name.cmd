forest --script '' -o x.png data/examples/bcg.csv
