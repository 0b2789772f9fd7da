cumul --order year $SHARED/reference/bcg.csv
