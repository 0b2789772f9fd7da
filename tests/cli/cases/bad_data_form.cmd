pool tests/cli/data/bad_data_form.csv
