pool --where source_type=primary tests/cli/data/bad_source_type.csv
