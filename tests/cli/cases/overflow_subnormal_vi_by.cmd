pool --by g --format csv tests/cli/data/subnormal_vi_by.csv
