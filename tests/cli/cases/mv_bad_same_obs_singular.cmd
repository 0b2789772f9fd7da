mv --cluster cluster --obs obs --che tests/cli/data/mv_same_obs.csv
