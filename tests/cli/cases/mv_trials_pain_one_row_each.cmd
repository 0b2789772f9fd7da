mv --where outcome=pain --no-sigma2-ci data/trials.csv
