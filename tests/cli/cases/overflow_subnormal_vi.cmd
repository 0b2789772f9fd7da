pool tests/cli/data/subnormal_vi.csv
