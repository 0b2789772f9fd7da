mv --cluster study_id --where study_id=t1 tests/cli/data/dependent.csv
