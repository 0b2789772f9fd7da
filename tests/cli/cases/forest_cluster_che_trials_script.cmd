forest --cluster study_id --rho 0.6 --where outcome=rom --dry-run --script - -o rom.svg data/trials.csv
