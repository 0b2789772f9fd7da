es --vtype AV --format csv data/examples/normand1999.csv
