mv --help
