# The R exports of data/examples/bcg.csv read by the input cases (tests/cli/cases/input_*).
# Run from the repository root: Rscript tests/cli/data/r_exports.R
d <- read.csv("data/examples/bcg.csv")
write.csv(d, "tests/cli/data/r_write_csv.csv")                      # row names, ""
u <- d
names(u) <- toupper(names(u))
write.csv(u, "tests/cli/data/r_upper.csv", row.names = FALSE)       # STUDY, YI, VI
write.table(d, "tests/cli/data/r_semicolon.csv", sep = ";", row.names = FALSE)
write.table(d, "tests/cli/data/r_tab.tsv", sep = "\t", row.names = FALSE)
write.csv2(d, "tests/cli/data/r_write_csv2.csv")                    # ; and 0,5
