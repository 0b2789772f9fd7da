/* The input layer on hostile text: CSV reading from memory (line numbers with CR, CRLF and
 * quoted line breaks, BOM, limits, delimiters, R's row names, decimal commas), header case
 * and the hint when no data form is found, strict numbers and their reasons, error rendering of
 * long or multi-line values, and the rule that a row is never dropped without a reason. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm.h"

static ma_table_t *read_ok(const char *text)
{
    ma_table_t *t = NULL;
    ma_error_t err;
    ma_status_t st = ma_table_read_mem(text, strlen(text), "t.csv", &t, &err);
    if (st != MA_OK)
        fail_msg("unexpected error: %s", err.msg);
    return t;
}

static void read_err(const char *text, size_t len, long line, const char *msg_part)
{
    ma_table_t *t = NULL;
    ma_error_t err;
    char buf[1400];
    assert_int_equal(ma_table_read_mem(text, len, "t.csv", &t, &err), MA_EINPUT);
    assert_null(t);
    assert_int_equal(err.line, line);
    ma_error_format(&err, buf, sizeof buf);
    if (!strstr(buf, msg_part))
        fail_msg("message '%s' lacks '%s'", buf, msg_part);
}

static void test_line_numbers(void **state)
{
    ma_table_t *t;
    (void)state;
    /* CR-only (old spreadsheet exports), CRLF, LF and a quoted line break */
    t = read_ok("\xEF\xBB\xBFstudy,yi\rA,1\r\nB,\"x\ny\"\nC,3\n\n\nD,4");
    assert_int_equal(t->nrow, 4);
    assert_string_equal(t->header[0], "study"); /* BOM removed */
    assert_int_equal(t->line[0], 2);
    assert_int_equal(t->line[1], 3); /* the line on which the row's first field ended */
    assert_string_equal(ma_table_cell(t, 1, 1), "x\ny");
    assert_int_equal(t->line[2], 5);
    assert_int_equal(t->line[3], 8);
    assert_string_equal(ma_table_cell(t, 3, 1), "4"); /* no final line end */
    ma_table_free(t);
}

#define READ_ERR(lit, line, part) read_err(lit, sizeof lit - 1, line, part)

static void test_bad_csv(void **state)
{
    (void)state;
    READ_ERR("", 0, "empty file");
    READ_ERR("\n\r\n", 0, "empty file");
    READ_ERR("a,b\n1,2\n3\n", 3, "ragged row: 1 fields where the header has 2");
    READ_ERR("a,b\n1,2\n\"3,4\n5,6\n", 3, "unterminated quoted field");
    READ_ERR("a,b\n1,2\n3,4\"\n", 3, "column 'b': malformed CSV: stray quote");
    READ_ERR("a,b\n1,\0\n", 2, "control byte '0x00'");
    READ_ERR("a,b\n1,\xFC\n", 2, "invalid byte '0xFC'");
    READ_ERR("a,b\n1,\xE2\x82\n", 2, "invalid byte '0xE2'"); /* cut UTF-8 sequence */
    READ_ERR("a,a\n1,2\n", 1, "duplicate column name");
    READ_ERR("a,\n1,2\n", 1, "empty column name");
    READ_ERR("PK\003\004xx", 0, "spreadsheet file");
}

static ma_table_t *read_opts_ok(const char *text, char delim, int decimal_comma)
{
    ma_table_t *t = NULL;
    ma_error_t err;
    ma_table_opts_t o = {delim, decimal_comma};
    if (ma_table_read_mem_opts(text, strlen(text), "t.csv", &o, &t, &err) != MA_OK)
        fail_msg("unexpected error: %s", err.msg);
    return t;
}

/* The delimiter is the one of , ; tab that splits the header and the first rows alike,
 * outside quotes; --delim overrides it. */
static void test_delimiters(void **state)
{
    ma_table_t *t;
    (void)state;
    t = read_ok("study;yi;vi\nA;0.1;0.02\n");
    assert_int_equal(t->ncol, 3);
    assert_int_equal(t->delim, ';');
    assert_true(t->delim_detected);
    assert_string_equal(ma_table_cell(t, 0, 2), "0.02");
    ma_table_free(t);
    t = read_ok("study\tyi\tnote\nA\t0.1\t x, y; z\n"); /* tab: blanks inside kept */
    assert_int_equal(t->delim, '\t');
    assert_string_equal(ma_table_cell(t, 0, 2), "x, y; z");
    ma_table_free(t);
    /* a semicolon inside quotes (header and rows) does not make a semicolon file */
    t = read_ok("study,\"a;b\",yi\nA,\"1;2;3\",0.1\nB,x,0.2\n");
    assert_int_equal(t->delim, ',');
    assert_int_equal(t->ncol, 3);
    ma_table_free(t);
    /* the header has two semicolons but the rows do not split alike: commas */
    t = read_ok("a;b,c;d\n1;2,3;4\n1,2\n");
    assert_int_equal(t->delim, ',');
    ma_table_free(t);
    t = read_ok("yi\n0.1\n");
    assert_int_equal(t->delim, ',');
    ma_table_free(t);
    t = read_opts_ok("a;b,c\n1;2,3\n", ',', 0); /* --delim , */
    assert_int_equal(t->ncol, 2);
    assert_false(t->delim_detected);
    ma_table_free(t);
    /* ragged: the message names the delimiter detected */
    READ_ERR("a;b;c\n1;2;3\n1;2;3;4\n", 3, "(a value with a semicolon must be quoted)");
}

/* R's write.csv: an empty first header is row names, skipped; elsewhere an error. */
static void test_rownames(void **state)
{
    ma_table_t *t;
    (void)state;
    t = read_ok("\"\",\"study\",\"yi\"\n\"1\",\"A\",0.1\n\"2\",\"B\",0.2\n");
    assert_true(t->rownames);
    assert_int_equal(t->ncol, 2);
    assert_string_equal(t->header[0], "study");
    assert_string_equal(ma_table_cell(t, 1, 0), "B");
    assert_string_equal(ma_table_cell(t, 1, 1), "0.2");
    assert_int_equal(ma_table_col(t, "yi"), 1);
    ma_table_free(t);
    t = read_ok("study,yi\nA,1\n");
    assert_false(t->rownames);
    ma_table_free(t);
    READ_ERR(",study,,yi\n1,A,x,0.1\n", 1, "empty column name in the header (column 3)");
    READ_ERR("\"\"\n1\n", 1, "empty column name in the header (column 1)");
}

/* Decimal commas in a file not separated by commas: an error naming line, column and
 * value, or converted in the fields that are numbers (and only those). */
static void test_decimal_comma(void **state)
{
    const char *text = "study;a;b;c;d;e\n"
                       "A;1.5;x;12,5 mg;1.234,5;a,b\n"
                       "B; -1,25e-3 ;0,5;,5;3;NA\n";
    ma_table_t *t = NULL;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_table_read_mem(text, strlen(text), "t.csv", &t, &err), MA_EINPUT);
    assert_null(t);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.column, "a");
    assert_string_equal(err.value, "-1,25e-3"); /* unquoted fields are trimmed */
    assert_non_null(strstr(err.msg, "--decimal-comma"));
    t = read_opts_ok(text, 0, 1);
    assert_int_equal(t->decimal_commas, 3);
    assert_string_equal(ma_table_cell(t, 1, 1), "-1.25e-3");
    assert_string_equal(ma_table_cell(t, 1, 2), "0.5");
    assert_string_equal(ma_table_cell(t, 1, 3), ".5");
    assert_string_equal(ma_table_cell(t, 0, 3), "12,5 mg"); /* text stays text */
    assert_string_equal(ma_table_cell(t, 0, 4), "1.234,5");
    assert_string_equal(ma_table_cell(t, 0, 5), "a,b");
    ma_table_free(t);
    /* a comma-separated file: a quoted "2,5" is left to the number reader */
    t = read_opts_ok("a,b\n\"2,5\",1\n", 0, 1);
    assert_int_equal(t->decimal_commas, 0);
    assert_string_equal(ma_table_cell(t, 0, 0), "2,5");
    ma_table_free(t);
}

/* Recognised headers match ignoring case only when none matches exactly. */
static void test_header_case(void **state)
{
    ma_table_t *t;
    ma_dataset_opts_t o;
    ma_dataset_t *d = NULL;
    ma_error_t err;
    (void)state;
    ma_dataset_opts_init(&o);
    t = read_ok("Study,YI,VI\nA,0.1,0.02\nB,0.3,0.04\n");
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_OK);
    assert_int_equal(d->k, 2);
    assert_int_equal(d->col[MA_COL_YI], 1);
    assert_true(d->col_nocase[MA_COL_YI]);
    assert_string_equal(d->s[1].label, "B");
    ma_dataset_free(d);
    ma_table_free(t);
    t = read_ok("study,YI,yi,vi\nA,9,0.1,0.02\n");
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_OK);
    assert_int_equal(d->col[MA_COL_YI], 2); /* the exact match */
    assert_false(d->col_nocase[MA_COL_YI]);
    ma_dataset_free(d);
    ma_table_free(t);
    t = read_ok("study,YI,Yi,vi\nA,9,0.1,0.02\n");
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "columns 'YI' and 'Yi' both read as yi"));
    ma_table_free(t);
}

/* A row without a data form names the closest headers and the --col that reads them. */
static void test_no_form_hint(void **state)
{
    static const struct {
        const char *text, *reason;
    } cases[] = {
        {"study,y_i,Var\nA,0.1,0.02\n",
         "no data form: columns yi and vi not found; closest: y_i, Var (use --col yi=y_i "
         "--col vi=Var)"},
        {"study,effect,bar\nA,0.1,0.02\n", /* 'bar' is not 'var': three letters must match */
         "no data form: columns yi and vi not found; closest: effect (use --col yi=effect)"},
        {"study,Mean1,SD_1,N1,mean_2,sd2,N_2\nA,1,2,20,1.5,2,20\n",
         "no data form: columns m1i, sd1i, n1i, m2i, sd2i and n2i not found; closest: Mean1, "
         "SD_1, N1, mean_2, sd2, N_2 (use --col m1=Mean1 --col sd1=SD_1 --col n1=N1 --col "
         "m2=mean_2 --col sd2=sd2 --col n2=N_2)"},
        {"study,foo\nA,1\n",
         "no data form: neither yi/vi nor group means and SDs (no columns yi and vi, nor m1i, "
         "sd1i, n1i, m2i, sd2i and n2i; --col KEY=HEADER reads another header)"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ma_table_t *t = read_ok(cases[i].text);
        ma_dataset_opts_t o;
        ma_dataset_t *d = NULL;
        ma_error_t err;
        ma_dataset_opts_init(&o);
        assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_OK);
        assert_int_equal(d->k, 0);
        assert_string_equal(d->s[0].reason, cases[i].reason);
        ma_dataset_free(d);
        ma_table_free(t);
    }
}

static void test_numbers(void **state)
{
    double x = 0;
    (void)state;
    assert_int_equal(ma_parse_double(" 2.5 ", &x), MA_NUM_OK);
    assert_true(x == 2.5);
    assert_int_equal(ma_parse_double("1e-400", &x), MA_NUM_OK); /* underflow: harmless */
    assert_int_equal(ma_parse_double("NA", &x), MA_NUM_MISSING);
    assert_int_equal(ma_parse_double("", &x), MA_NUM_MISSING);
    assert_string_equal(ma_num_why("abc"), "not a number");
    assert_string_equal(ma_num_why("1e999"), "number out of range");
    assert_string_equal(ma_num_why("-1e999"), "number out of range");
    assert_string_equal(ma_num_why("12 mm"), "text after the number");
    assert_string_equal(ma_num_why("2,5"), "decimal comma (write the number with a decimal point)");
    assert_string_equal(ma_num_why("0x1A"), "hexadecimal numbers are not accepted");
    assert_string_equal(ma_num_why("45%"),
                        "percent sign after the number (write the value without it)");
    assert_non_null(strstr(ma_num_why("-inf"), "not a finite number"));
    assert_non_null(strstr(ma_num_why("NaN"), "not a finite number"));
    assert_string_equal(ma_num_why("--5"), "not a number");
    assert_string_equal(ma_num_why(".e5"), "not a number");
}

static void test_error_value_shown(void **state)
{
    ma_error_t err;
    char buf[1400], *big = malloc(1000);
    (void)state;
    assert_non_null(big);
    memset(big, 'a', 999);
    big[999] = '\0';
    memcpy(big + 123, "\xC3\xA9", 2); /* a 2-byte character across the cut */
    ma_error_at(&err, MA_EINPUT, "f.csv", 3, "c", big, "bad:");
    assert_int_equal(strlen(err.value), 126);
    assert_string_equal(err.value + 123, "...");
    ma_error_at(&err, MA_EINPUT, "f.csv", 3, "c", "two\nlines\t!", "bad:");
    assert_string_equal(ma_error_format(&err, buf, sizeof buf),
                        "f.csv:3: column 'c': bad: 'two\\nlines\\t!'");
    free(big);
}

/* Every row that is not pooled carries a reason; missing values never drop a row silently. */
static void test_missing_values_have_reasons(void **state)
{
    ma_table_t *t = read_ok("study,m1i,sd1i,n1i,m2i,sd2i,n2i\n"
                            "A,10,2,20,8,2.5,22\n"
                            "B,12,NA,15,11,3,15\n"
                            "C,9,2,,9.5,2.2,28\n"
                            "D,,,,,,\n");
    ma_dataset_opts_t o;
    ma_dataset_t *d = NULL;
    ma_error_t err;
    size_t i;
    (void)state;
    ma_dataset_opts_init(&o);
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_OK);
    assert_int_equal(d->n, 4);
    assert_int_equal(d->k, 1);
    for (i = 1; i < d->n; i++) {
        assert_false(d->s[i].included);
        assert_non_null(d->s[i].reason);
        assert_true(d->s[i].reason[0] != '\0');
    }
    ma_dataset_free(d);
    ma_table_free(t);
}

static void test_trial_schema(void **state)
{
    const char *head = "study_id,outcome,region,higher_is_better,data_form,yi,vi\n";
    char text[512];
    ma_table_t *t;
    ma_dataset_opts_t o;
    ma_dataset_t *d = NULL;
    ma_error_t err;
    ma_filter_t f = {"outcome", "pian", 0};
    (void)state;
    snprintf(text, sizeof text, "%sa,pain,spine,no,yi_vi,0.1,0.02\nb,Pain,spine,no,yi_vi,0.2,0.03\n",
             head);
    t = read_ok(text);
    ma_dataset_opts_init(&o);
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_EINPUT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.column, "outcome");
    assert_string_equal(err.value, "Pain");
    ma_table_free(t);

    snprintf(text, sizeof text, "%sa,pain,spine,no,yi_vi,0.1,0.02\n", head);
    t = read_ok(text);
    o.where = &f;
    o.nwhere = 1;
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_EUSAGE);
    assert_non_null(strstr(err.msg, "expected pain, function or rom"));
    ma_table_free(t);
}

/* A regression found by fuzzing: with Q beyond double range every tau2 estimator fails;
 * the REML -> PM -> DL fallback must end with an error, not loop. */
static void test_rma_fallback_ends(void **state)
{
    const double yi[2] = {-1.585388651e159, -0.2175473139482168798};
    const double vi[2] = {100319022476.0, 0.0714046598639863};
    ma_rma_opts_t o;
    ma_rma_t r;
    ma_error_t err;
    (void)state;
    ma_rma_opts_init(&o);
    assert_int_equal(ma_rma_fit(yi, vi, 2, &o, &r, &err), MA_ENUMERIC);
    o.method = MA_METHOD_DL;
    assert_int_equal(ma_rma_fit(yi, vi, 2, &o, &r, &err), MA_ENUMERIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test(test_bad_csv),
        cmocka_unit_test(test_delimiters),
        cmocka_unit_test(test_rownames),
        cmocka_unit_test(test_decimal_comma),
        cmocka_unit_test(test_header_case),
        cmocka_unit_test(test_no_form_hint),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_error_value_shown),
        cmocka_unit_test(test_missing_values_have_reasons),
        cmocka_unit_test(test_trial_schema),
        cmocka_unit_test(test_rma_fallback_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
