es --vtype AV --format csv $SHARED/reference/normand1999.csv
