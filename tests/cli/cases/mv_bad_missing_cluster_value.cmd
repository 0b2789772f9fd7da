mv --cluster cluster tests/cli/data/mv_missing_cluster.csv
