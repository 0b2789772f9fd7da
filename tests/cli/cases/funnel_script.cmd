funnel --dry-run --script - -o funnel.png --xlabel "Log risk ratio" $SHARED/reference/bcg.csv
