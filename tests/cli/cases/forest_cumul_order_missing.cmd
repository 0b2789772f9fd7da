forest --type cumul --order year --dry-run --script - -o cumul.svg tests/cli/data/grouping.csv
