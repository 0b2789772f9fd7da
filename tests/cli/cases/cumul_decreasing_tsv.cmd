cumul --order year --decreasing --format tsv $SHARED/reference/bcg.csv
