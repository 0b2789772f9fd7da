boot --type param --reps 300 --threads 3 data/examples/bcg.csv
