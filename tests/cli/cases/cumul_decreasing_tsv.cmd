cumul --order year --decreasing --format tsv data/examples/bcg.csv
