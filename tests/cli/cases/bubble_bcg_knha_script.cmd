bubble --mods ablat --test knha --ylabel "Log risk ratio" --title "BCG vaccine and absolute latitude" --dry-run --script - -o bcg_bubble.pdf data/examples/bcg.csv
