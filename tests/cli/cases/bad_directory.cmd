pool tests/cli/data
