boot --threads 2 --reps 500 --seed 4 --bca --format csv $SHARED/reference/bcg.csv
