permutest --threads 2 --mods ablat --iter 2000 --seed 9 data/examples/bcg.csv
