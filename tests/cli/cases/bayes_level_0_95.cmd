bayes --level 0.95 --format tsv --tau-prior lomax:0.5:2 data/examples/bcg.csv
