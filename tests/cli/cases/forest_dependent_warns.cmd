forest --where outcome=rom --dry-run --script - -o rom.png data/trials.csv
