pool --by alloc --test adhoc tests/reference/bcg.csv
