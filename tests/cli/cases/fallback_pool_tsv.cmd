pool --maxiter 2 --format tsv tests/reference/bcg.csv
