boot --threads 2 --reps 500 --seed 4 --bca --format csv data/examples/bcg.csv
