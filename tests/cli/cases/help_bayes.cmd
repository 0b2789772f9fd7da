bayes --help
