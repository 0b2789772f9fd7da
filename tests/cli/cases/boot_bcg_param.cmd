boot --type param --reps 300 --threads 3 $SHARED/reference/bcg.csv
