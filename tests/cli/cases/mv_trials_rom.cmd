mv --where outcome=rom --che data/trials.csv
