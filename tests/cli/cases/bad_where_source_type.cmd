pool --where source_type=Primary tests/cli/data/trials_source.csv
