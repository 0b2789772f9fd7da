pool --help
