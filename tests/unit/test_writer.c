/* The record writers (writer.c), table-driven: every format's layout, the escaping of
 * text cells (quotes, separators, line breaks, control bytes), NaN and infinities as
 * NA/null, numbers with the shortest digits that read back exactly, or rounded to N
 * decimals in Markdown; one table per csv/tsv file, the other sections in parts. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm.h"

/* Run `fill` on a writer of format `fmt` over a memory stream; return the text (free()). */
static char *render(ma_format_t fmt, void (*fill)(ma_writer_t *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ma_writer_t *w;
    ma_error_t err;
    assert_non_null(f);
    w = ma_writer_new(f, fmt);
    assert_non_null(w);
    fill(w, arg);
    assert_int_equal(ma_writer_finish(w, &err), MA_OK);
    ma_writer_free(w);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static const char *fmt_name(ma_format_t f)
{
    static const char *const names[] = {"text", "csv", "tsv", "json", "md"};
    return names[f];
}

/* The output of one record with one field "v" whose rendered value is `cell`. */
static void one_field_output(ma_format_t fmt, const char *cell, char *out, size_t n)
{
    switch (fmt) {
    case MA_FMT_JSON:
        snprintf(out, n, "{\n  \"records\": [\n    {\"v\": %s}\n  ]\n}\n", cell);
        break;
    case MA_FMT_MD:
        snprintf(out, n, "### records\n\n| v |\n|---|\n| %s |\n", cell);
        break;
    default:
        snprintf(out, n, "v\n%s\n", cell);
    }
}

static void assert_output(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        fail_msg("%s:\n--- got ---\n%s--- expected ---\n%s", what, got, want);
}

/* Text cells. */
typedef struct {
    ma_format_t fmt;
    const char *in;   /* NULL: a missing string */
    const char *cell; /* as written */
} str_case_t;

static const str_case_t STR[] = {
    {MA_FMT_CSV, "plain", "plain"},
    {MA_FMT_CSV, "", ""},
    {MA_FMT_CSV, "a,b", "\"a,b\""},
    {MA_FMT_CSV, "say \"hi\"", "\"say \"\"hi\"\"\""},
    {MA_FMT_CSV, "two\nlines", "\"two\nlines\""},
    {MA_FMT_CSV, "cr\rhere", "\"cr\rhere\""},
    {MA_FMT_CSV, " leading", "\" leading\""},
    {MA_FMT_CSV, "trailing ", "\"trailing \""},
    {MA_FMT_CSV, "in side", "in side"},
    {MA_FMT_CSV, "tab\there", "tab\there"},
    {MA_FMT_CSV, "\xcf\x84\xc2\xb2 = 0.1", "\xcf\x84\xc2\xb2 = 0.1"}, /* UTF-8 as it is */
    {MA_FMT_CSV, NULL, "NA"},
    {MA_FMT_TSV, "a,b \"q\"", "a,b \"q\""},
    {MA_FMT_TSV, "tab\there", "tab here"},
    {MA_FMT_TSV, "two\nlines\r", "two lines "},
    {MA_FMT_TSV, NULL, "NA"},
    {MA_FMT_JSON, "plain", "\"plain\""},
    {MA_FMT_JSON, "say \"hi\"", "\"say \\\"hi\\\"\""},
    {MA_FMT_JSON, "back\\slash", "\"back\\\\slash\""},
    {MA_FMT_JSON, "a\nb\tc\rd", "\"a\\nb\\tc\\rd\""},
    {MA_FMT_JSON, "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
    {MA_FMT_JSON, "a/b,c", "\"a/b,c\""},
    {MA_FMT_JSON, "\xcf\x84\xc2\xb2", "\"\xcf\x84\xc2\xb2\""},
    {MA_FMT_JSON, "", "\"\""},
    {MA_FMT_JSON, NULL, "null"},
    {MA_FMT_MD, "a|b", "a\\|b"},
    {MA_FMT_MD, "two\nlines\tand\rmore", "two lines and more"},
    {MA_FMT_MD, "a,b \"q\"", "a,b \"q\""},
    {MA_FMT_MD, NULL, "NA"},
};

static void fill_str(ma_writer_t *w, const void *arg)
{
    ma_writer_begin(w);
    ma_writer_str(w, "v", ((const str_case_t *)arg)->in);
    ma_writer_end(w);
}

static void test_strings(void **state)
{
    size_t i;
    char want[256], what[128];
    (void)state;
    for (i = 0; i < sizeof STR / sizeof STR[0]; i++) {
        char *got = render(STR[i].fmt, fill_str, &STR[i]);
        one_field_output(STR[i].fmt, STR[i].cell, want, sizeof want);
        snprintf(what, sizeof what, "%s string row %zu", fmt_name(STR[i].fmt), i);
        assert_output(what, got, want);
        free(got);
    }
}

/* Numbers. */
typedef struct {
    ma_format_t fmt;
    double x;
    const char *cell;
} num_case_t;

static const num_case_t NUM[] = {
    {MA_FMT_CSV, 0.1, "0.1"},
    {MA_FMT_CSV, 0.95, "0.95"}, /* an input prints as given */
    {MA_FMT_CSV, 0.1 + 0.2, "0.30000000000000004"}, /* a result keeps the digits it needs */
    {MA_FMT_CSV, 1.0 / 3.0, "0.3333333333333333"},
    {MA_FMT_CSV, 2.0 / 3.0, "0.6666666666666666"},
    {MA_FMT_CSV, 1e300, "1e+300"},
    {MA_FMT_CSV, 1e-20, "1e-20"},
    {MA_FMT_CSV, 0.7145323421581391, "0.7145323421581391"},
    {MA_FMT_CSV, 1.9967645908457628e-26, "1.9967645908457628e-26"},
    {MA_FMT_CSV, 4.9406564584124654e-324, "4.94065645841247e-324"},
    {MA_FMT_CSV, 9007199254740992.0, "9007199254740992"},
    {MA_FMT_CSV, -0.0, "-0"},
    {MA_FMT_CSV, 2, "2"},
    {MA_FMT_CSV, NAN, "NA"},
    {MA_FMT_CSV, INFINITY, "NA"},
    {MA_FMT_CSV, -INFINITY, "NA"},
    {MA_FMT_TSV, 0.1, "0.1"},
    {MA_FMT_TSV, NAN, "NA"},
    {MA_FMT_JSON, 0.1, "0.1"},
    {MA_FMT_JSON, 0.94999999999999996, "0.95"},
    {MA_FMT_JSON, -2.5e-8, "-2.5e-08"},
    {MA_FMT_JSON, NAN, "null"},
    {MA_FMT_JSON, INFINITY, "null"},
    {MA_FMT_MD, 0.123456, "0.1235"},
    {MA_FMT_MD, 12345.6, "12345.6000"},
    {MA_FMT_MD, 100, "100.0000"},
    {MA_FMT_MD, -0.00004, "-0.0000"},
    {MA_FMT_MD, NAN, "NA"},
};

static void fill_num(ma_writer_t *w, const void *arg)
{
    ma_writer_begin(w);
    ma_writer_num(w, "v", ((const num_case_t *)arg)->x);
    ma_writer_end(w);
}

static void test_numbers(void **state)
{
    size_t i;
    char want[256], what[128];
    (void)state;
    for (i = 0; i < sizeof NUM / sizeof NUM[0]; i++) {
        char *got = render(NUM[i].fmt, fill_num, &NUM[i]);
        one_field_output(NUM[i].fmt, NUM[i].cell, want, sizeof want);
        snprintf(what, sizeof what, "%s number row %zu", fmt_name(NUM[i].fmt), i);
        assert_output(what, got, want);
        /* machine-readable numbers read back to the same double */
        if (NUM[i].fmt != MA_FMT_MD && isfinite(NUM[i].x)) {
            double back = strtod(NUM[i].cell, NULL);
            assert_memory_equal(&back, &NUM[i].x, sizeof back);
        }
        /* ... and no fewer significant digits would do (15 are exact for any decimal of
         * 15 digits: the search stops there; subnormals have fewer bits and keep 15) */
        if (NUM[i].fmt != MA_FMT_MD && isfinite(NUM[i].x) && fabs(NUM[i].x) >= DBL_MIN) {
            char shorter[64];
            int prec;
            for (prec = 1; prec < 15; prec++) {
                snprintf(shorter, sizeof shorter, "%.*g", prec, NUM[i].x);
                if (strtod(shorter, NULL) == NUM[i].x)
                    break;
            }
            if (prec < 15 && strlen(shorter) < strlen(NUM[i].cell))
                fail_msg("row %zu: '%s' reads back too, shorter than '%s'", i, shorter,
                         NUM[i].cell);
        }
        free(got);
    }
}

/* Whole outputs: sections, headers from the first record, every field kind. */
static void fill_two_sections(ma_writer_t *w, const void *arg)
{
    (void)arg;
    ma_writer_section(w, "fits");
    ma_writer_begin(w);
    ma_writer_str(w, "label", "A, 1999");
    ma_writer_num(w, "estimate", 0.5);
    ma_writer_int(w, "k", 3);
    ma_writer_bool(w, "converged", 1);
    ma_writer_end(w);
    ma_writer_begin(w);
    ma_writer_str(w, "label", "B");
    ma_writer_num(w, "estimate", NAN);
    ma_writer_int(w, "k", -1);
    ma_writer_bool(w, "converged", 0);
    ma_writer_end(w);
    ma_writer_section(w, "notes");
    ma_writer_begin(w);
    ma_writer_str(w, "note", NULL);
    ma_writer_end(w);
}

static void fill_nothing(ma_writer_t *w, const void *arg)
{
    (void)w;
    (void)arg;
}

static void fill_empty_section(ma_writer_t *w, const void *arg)
{
    (void)arg;
    ma_writer_section(w, "rows");
}

typedef struct {
    ma_format_t fmt;
    void (*fill)(ma_writer_t *, const void *);
    const char *want;
} doc_case_t;

static const doc_case_t DOC[] = {
    /* one table per file: the first section; the others are parts (see test_parts) */
    {MA_FMT_CSV, fill_two_sections,
     "label,estimate,k,converged\n\"A, 1999\",0.5,3,true\nB,NA,-1,false\n"},
    {MA_FMT_TSV, fill_two_sections,
     "label\testimate\tk\tconverged\nA, 1999\t0.5\t3\ttrue\nB\tNA\t-1\tfalse\n"},
    {MA_FMT_JSON, fill_two_sections,
     "{\n  \"fits\": [\n"
     "    {\"label\": \"A, 1999\", \"estimate\": 0.5, \"k\": 3, \"converged\": true},\n"
     "    {\"label\": \"B\", \"estimate\": null, \"k\": -1, \"converged\": false}\n"
     "  ],\n  \"notes\": [\n    {\"note\": null}\n  ]\n}\n"},
    {MA_FMT_MD, fill_two_sections,
     "### fits\n\n| label | estimate | k | converged |\n|---|---|---|---|\n"
     "| A, 1999 | 0.5000 | 3 | true |\n| B | NA | -1 | false |\n\n"
     "### notes\n\n| note |\n|---|\n| NA |\n"},
    {MA_FMT_JSON, fill_nothing, "{}\n"},
    {MA_FMT_CSV, fill_nothing, ""},
    {MA_FMT_MD, fill_nothing, ""},
    {MA_FMT_JSON, fill_empty_section, "{\n  \"rows\": []\n}\n"},
    {MA_FMT_CSV, fill_empty_section, ""},
    {MA_FMT_MD, fill_empty_section, ""}, /* no heading without a table */
};

static void test_documents(void **state)
{
    size_t i;
    char what[64];
    (void)state;
    for (i = 0; i < sizeof DOC / sizeof DOC[0]; i++) {
        char *got = render(DOC[i].fmt, DOC[i].fill, NULL);
        snprintf(what, sizeof what, "%s document row %zu", fmt_name(DOC[i].fmt), i);
        assert_output(what, got, DOC[i].want);
        free(got);
    }
}

/* Keys are cells too: escaped like values. */
static void fill_odd_key(ma_writer_t *w, const void *arg)
{
    (void)arg;
    ma_writer_begin(w);
    ma_writer_int(w, "ci,lb \"x\"", 1);
    ma_writer_end(w);
}

static void test_keys(void **state)
{
    static const struct {
        ma_format_t fmt;
        const char *want;
    } K[] = {
        {MA_FMT_CSV, "\"ci,lb \"\"x\"\"\"\n1\n"},
        {MA_FMT_JSON, "{\n  \"records\": [\n    {\"ci,lb \\\"x\\\"\": 1}\n  ]\n}\n"},
        {MA_FMT_MD, "### records\n\n| ci,lb \"x\" |\n|---|\n| 1 |\n"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof K / sizeof K[0]; i++) {
        char *got = render(K[i].fmt, fill_odd_key, NULL);
        assert_output(fmt_name(K[i].fmt), got, K[i].want);
        free(got);
    }
}

/* csv/tsv parts: the main section to the writer's stream, every other section with
 * records to the stream its part function gives, none to a part that gives NULL. */
typedef struct {
    FILE *f[4];
    char *buf[4];
    size_t len[4];
    char names[4][16];
    int n;
} parts_t;

static FILE *part_stream(void *ctx, const char *name)
{
    parts_t *p = ctx;
    if (!strcmp(name, "dropped"))
        return NULL;
    snprintf(p->names[p->n], sizeof p->names[0], "%s", name);
    p->f[p->n] = open_memstream(&p->buf[p->n], &p->len[p->n]);
    return p->f[p->n++];
}

static void fill_parts(ma_writer_t *w)
{
    static const char *const sec[] = {"fit", "rows", "empty", "dropped"};
    size_t i;
    int j;
    for (i = 0; i < 4; i++) {
        ma_writer_section(w, sec[i]);
        for (j = 0; i != 2 && j < 2; j++) {
            ma_writer_begin(w);
            ma_writer_int(w, "i", j);
            ma_writer_num(w, "p_value", 0.00001);
            ma_writer_num(w, "Q_df", 3);
            ma_writer_num(w, "reps", 1000);
            ma_writer_str(w, "s", sec[i]);
            ma_writer_end(w);
        }
    }
}

static void test_parts(void **state)
{
    static const struct {
        const char *main;
        const char *want, *want_fit;
    } P[] = {
        {"rows", "i,p_value,Q_df,reps,s\n0,1e-05,3,1000,rows\n1,1e-05,3,1000,rows\n",
         "i,p_value,Q_df,reps,s\n0,1e-05,3,1000,fit\n1,1e-05,3,1000,fit\n"},
        {NULL, "i,p_value,Q_df,reps,s\n0,1e-05,3,1000,fit\n1,1e-05,3,1000,fit\n", NULL},
    };
    size_t i;
    int j;
    (void)state;
    for (i = 0; i < 2; i++) {
        parts_t p;
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        ma_writer_t *w = ma_writer_new(f, MA_FMT_CSV);
        ma_error_t err;
        memset(&p, 0, sizeof p);
        ma_writer_parts(w, P[i].main, part_stream, &p);
        fill_parts(w);
        assert_int_equal(ma_writer_finish(w, &err), MA_OK);
        ma_writer_free(w);
        assert_int_equal(fclose(f), 0);
        assert_output("main table", buf, P[i].want);
        /* the parts with records, in order: "empty" asks for nothing, "dropped" is NULL */
        assert_int_equal(p.n, 1);
        assert_string_equal(p.names[0], P[i].main ? "fit" : "rows");
        for (j = 0; j < p.n; j++) {
            assert_int_equal(fclose(p.f[j]), 0);
            if (P[i].want_fit)
                assert_output("part", p.buf[j], P[i].want_fit);
            free(p.buf[j]);
        }
        free(buf);
    }
}

/* Markdown: the columns a reader needs, p-values by the p rule, counts without decimals,
 * N decimals. */
static void test_md_columns(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ma_writer_t *w = ma_writer_new(f, MA_FMT_MD);
    ma_error_t err;
    (void)state;
    ma_writer_md_columns(w, "rows", "i p_value Q_df");
    ma_writer_digits(w, 2);
    fill_parts(w);
    assert_int_equal(ma_writer_finish(w, &err), MA_OK);
    ma_writer_free(w);
    assert_int_equal(fclose(f), 0);
    assert_output("md", buf,
                  "### fit\n\n| i | p_value | Q_df | reps | s |\n|---|---|---|---|---|\n"
                  "| 0 | <.01 | 3 | 1000 | fit |\n| 1 | <.01 | 3 | 1000 | fit |\n\n"
                  "### rows\n\n| i | p_value | Q_df |\n|---|---|---|\n"
                  "| 0 | <.01 | 3 |\n| 1 | <.01 | 3 |\n\n"
                  "### dropped\n\n| i | p_value | Q_df | reps | s |\n|---|---|---|---|---|\n"
                  "| 0 | <.01 | 3 | 1000 | dropped |\n| 1 | <.01 | 3 | 1000 | dropped |\n");
    free(buf);
}

/* The one rounding rule for people (num.h), shared by text, md and plots. */
static void test_fixed_and_p(void **state)
{
    char b[64];
    (void)state;
    assert_string_equal(ma_fmt_fixed(0.123456, 4, b, sizeof b), "0.1235");
    assert_string_equal(ma_fmt_fixed(0.125, 2, b, sizeof b), "0.12"); /* binary 0.125 ties even */
    assert_string_equal(ma_fmt_fixed(-1.5, 0, b, sizeof b), "-2");
    assert_string_equal(ma_fmt_fixed(NAN, 4, b, sizeof b), "NA");
    assert_string_equal(ma_fmt_fixed(INFINITY, 4, b, sizeof b), "NA");
    assert_string_equal(ma_fmt_pval(0.00005, 4, b, sizeof b), "<.0001");
    assert_string_equal(ma_fmt_pval(0.0001, 4, b, sizeof b), "0.0001");
    assert_string_equal(ma_fmt_pval(0.004, 2, b, sizeof b), "<.01");
    assert_string_equal(ma_fmt_pval(0.5, 0, b, sizeof b), "0.5");
    assert_string_equal(ma_fmt_pval(NAN, 4, b, sizeof b), "NA");
    assert_string_equal(ma_fmt_double(0.94999999999999996, b, sizeof b), "0.95");
    assert_string_equal(ma_fmt_double(NAN, b, sizeof b), "NA");
}

static void test_format_names(void **state)
{
    static const struct {
        const char *name;
        int fmt;
    } F[] = {
        {"text", MA_FMT_TEXT}, {"csv", MA_FMT_CSV}, {"CSV", MA_FMT_CSV}, {"tsv", MA_FMT_TSV},
        {"json", MA_FMT_JSON}, {"md", MA_FMT_MD}, {"markdown", MA_FMT_MD}, {"xml", -1},
        {"", -1}, {"csv ", -1},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof F / sizeof F[0]; i++)
        if (ma_format_parse(F[i].name) != F[i].fmt)
            fail_msg("'%s': %d, expected %d", F[i].name, ma_format_parse(F[i].name), F[i].fmt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_md_columns),
        cmocka_unit_test(test_fixed_and_p),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
