regress --mods ablat --maxiter 2 tests/reference/bcg.csv
