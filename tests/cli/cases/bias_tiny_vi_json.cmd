bias --format json tests/cli/data/tiny_vi.csv
