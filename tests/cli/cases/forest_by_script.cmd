forest --dry-run --script - -o bcg.pdf --by alloc --xlabel "Log risk ratio" --favours-left "Favours vaccine" --favours-right "Favours control" data/examples/bcg.csv
