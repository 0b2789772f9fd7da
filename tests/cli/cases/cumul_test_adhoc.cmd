cumul --test adhoc tests/reference/bcg.csv
