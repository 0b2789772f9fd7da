funnel --dry-run --script - -o funnel.png --xlabel "Log risk ratio" data/examples/bcg.csv
