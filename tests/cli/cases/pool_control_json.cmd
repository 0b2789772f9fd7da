pool --stepadj 0.5 --tau2-init 1 --maxiter 50 --format json tests/reference/bcg.csv
