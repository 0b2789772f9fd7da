pool --format csv --where source_type=primary tests/cli/data/trials_source.csv
