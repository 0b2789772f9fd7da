mv --cluster cluster --obs obs --no-sigma2-ci tests/cli/data/mv_same_obs.csv
