influence --test knha --format json tests/cli/data/good.csv
