bubble --dry-run --script - -o bubble.png tests/cli/data/moderators.csv
