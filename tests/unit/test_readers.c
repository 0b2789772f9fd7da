/* The readers on hostile input: header checks at scale, streaming text checks across read
 * chunks and their limits, the es_kind of reported effect sizes, and the strict reading of
 * claims and published-review files. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testutil.h"
#include "iastm.h"
#include "iastm/evidence.h"
#include "iastm/reviews.h"

static void expect_msg(const ma_error_t *err, const char *part)
{
    char buf[1400];
    ma_error_format(err, buf, sizeof buf);
    if (!strstr(buf, part))
        fail_msg("message '%s' lacks '%s'", buf, part);
}

/* A header of n columns c0..c{n-1} with `extra` appended, and one data row. */
static char *wide_csv(size_t n, const char *extra, size_t *len)
{
    size_t cap = n * 16 + 64, k = 0, i;
    char *s = malloc(cap);
    assert_non_null(s);
    for (i = 0; i < n; i++)
        k += (size_t)snprintf(s + k, cap - k, "%sc%zu", i ? "," : "", i);
    k += (size_t)snprintf(s + k, cap - k, "%s\n", extra);
    for (i = 0; i < n + (extra[0] ? 1 : 0); i++)
        k += (size_t)snprintf(s + k, cap - k, "%s1", i ? "," : "");
    s[k++] = '\n';
    *len = k;
    return s;
}

static void test_header_duplicates(void **state)
{
    ma_table_t *t = NULL;
    ma_error_t err;
    size_t len;
    char *s;
    (void)state;
    /* 100,000 distinct names read; a duplicate of the first at the very end is found. */
    s = wide_csv(100000, "", &len);
    assert_int_equal(ma_table_read_mem(s, len, "w.csv", &t, &err), MA_OK);
    assert_int_equal(t->ncol, 100000);
    ma_table_free(t);
    free(s);
    s = wide_csv(100000, ",c0", &len);
    assert_int_equal(ma_table_read_mem(s, len, "w.csv", &t, &err), MA_EINPUT);
    assert_string_equal(err.column, "c0");
    expect_msg(&err, "at positions 1 and 100001");
    free(s);
    s = wide_csv(100000, ",c99998", &len);
    assert_int_equal(ma_table_read_mem(s, len, "w.csv", &t, &err), MA_EINPUT);
    expect_msg(&err, "column 'c99998': duplicate column name in the header, at positions "
                     "99999 and 100001");
    free(s);

    /* The pair reported is the one a left-to-right scan meets first. */
#define DUP(text, col, part)                                                          \
    do {                                                                              \
        assert_int_equal(ma_table_read_mem(text, strlen(text), "d.csv", &t, &err),    \
                         MA_EINPUT);                                                  \
        assert_null(t);                                                               \
        assert_int_equal(err.line, 1);                                                \
        assert_string_equal(err.column, col);                                         \
        expect_msg(&err, part);                                                       \
    } while (0)
    DUP("a,b,b,a\n1,2,3,4\n", "b", "positions 2 and 3");
    DUP("b,a,c,a,b\n1,2,3,4,5\n", "a", "positions 2 and 4");
    DUP("x,a,a,a\n1,2,3,4\n", "a", "positions 2 and 3");
    DUP("z,y,x,w,x,z\n1,2,3,4,5,6\n", "x", "positions 3 and 5");
    DUP("a,a,,b\n1,2,3,4\n", "a", "positions 1 and 2");
    DUP(" a ,a\n1,2\n", "a", "positions 1 and 2"); /* names are compared trimmed */
#undef DUP
    assert_int_equal(ma_table_read_mem("a,,a\n1,2,3\n", 11, "d.csv", &t, &err), MA_EINPUT);
    expect_msg(&err, "empty column name in the header (column 2)");
    assert_int_equal(ma_table_read_mem("a,b,A\n1,2,3\n", 12, "d.csv", &t, &err), MA_OK);
    ma_table_free(t); /* names are case-sensitive, as column lookups are */
}

/* Write `len` bytes to a temporary file and read it with ma_table_read_file. */
static ma_status_t read_via_file(const char *buf, size_t len, ma_table_t **t, ma_error_t *err)
{
    char path[] = "/tmp/iastm-test-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    ma_status_t st;
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    st = ma_table_read_file(path, t, err);
    unlink(path);
    return st;
}

/* Text with `pad` bytes of a long quoted cell before `tail`, so that tail's first byte
 * falls at offset `at` of the file (the reader's chunks are 64 KiB). */
static char *padded(size_t at, const char *tail, size_t *len)
{
    const char *head = "study,yi,vi,notes\nA,0.1,0.02,\"";
    size_t hl = strlen(head), tl = strlen(tail);
    char *s = malloc(at + tl + 1);
    assert_non_null(s);
    assert_true(at > hl);
    memcpy(s, head, hl);
    memset(s + hl, 'x', at - hl);
    memcpy(s + at, tail, tl + 1);
    *len = at + tl;
    return s;
}

static void test_stream_chunk_boundaries(void **state)
{
    static const size_t at[] = {65535, 65534, 65533, 65536, 131071};
    static const char *const tails[] = {
        "\"\r\nB,0.3,0.04,\xE2\x82\xAC\r\nC,0.2,0.03,\xF0\x9F\x98\x80\n", /* CRLF, UTF-8 */
        "\xC3\xA9\"\rB,0.3,0.04,x\rC,0.2,0.03,y\r",                       /* CR only */
    };
    size_t i, j, len;
    (void)state;
    for (i = 0; i < sizeof at / sizeof at[0]; i++)
        for (j = 0; j < sizeof tails / sizeof tails[0]; j++) {
            ma_table_t *a = NULL, *b = NULL;
            ma_error_t err;
            char *s = padded(at[i], tails[j], &len);
            assert_int_equal(ma_table_read_mem(s, len, "m.csv", &a, &err), MA_OK);
            assert_int_equal(read_via_file(s, len, &b, &err), MA_OK);
            assert_int_equal(a->nrow, 3);
            assert_int_equal(b->nrow, 3);
            assert_int_equal(b->line[1], 3);
            assert_int_equal(b->line[2], 4);
            assert_string_equal(ma_table_cell(a, 1, 3), ma_table_cell(b, 1, 3));
            assert_string_equal(ma_table_cell(a, 2, 3), ma_table_cell(b, 2, 3));
            ma_table_free(a);
            ma_table_free(b);
            free(s);
        }
    /* A bad byte after the first chunk: same line and value from memory and from a file. */
    for (i = 0; i < sizeof at / sizeof at[0]; i++) {
        static const char *const bad[] = {"\"\nB,\0", "\"\nB,\xE2\x82", "\"\n\nB,\x80x"};
        for (j = 0; j < 3; j++) {
            ma_table_t *t = NULL;
            ma_error_t e1, e2;
            size_t tl = j == 0 ? 5 : j == 1 ? 6 : 7;
            char *s = padded(at[i], "", &len);
            s = realloc(s, len + tl);
            assert_non_null(s);
            memcpy(s + len, bad[j], tl);
            len += tl;
            assert_int_equal(ma_table_read_mem(s, len, "m.csv", &t, &e1), MA_EINPUT);
            assert_int_equal(read_via_file(s, len, &t, &e2), MA_EINPUT);
            assert_null(t);
            assert_int_equal(e1.line, j == 2 ? 4 : 3);
            assert_int_equal(e2.line, e1.line);
            assert_string_equal(e2.value, e1.value);
            assert_string_equal(e2.msg, e1.msg);
            free(s);
        }
    }
}

static void test_line_limit(void **state)
{
    size_t n = MA_TABLE_MAX_LINE + 1, len;
    char *s = malloc(n + 32);
    ma_table_t *t = NULL;
    ma_error_t err;
    (void)state;
    assert_non_null(s);
    len = (size_t)snprintf(s, 32, "a,b\n1,");
    memset(s + len, '7', n - 2); /* line 2 is "1," + n - 2 digits: one byte too long */
    len += n - 2;
    assert_int_equal(ma_table_read_mem(s, len, "l.csv", &t, &err), MA_EINPUT);
    assert_int_equal(err.line, 2);
    expect_msg(&err, "line longer than 64 MiB");
    /* One byte less is within the limit. */
    assert_int_equal(ma_table_read_mem(s, len - 1, "l.csv", &t, &err), MA_OK);
    ma_table_free(t);
    /* Line breaks inside a quoted field end physical lines: no limit is hit. */
    s[6] = '"';
    s[len / 2] = '\n';
    s[len] = '"';
    assert_int_equal(ma_table_read_mem(s, len + 1, "l.csv", &t, &err), MA_OK);
    assert_int_equal(t->nrow, 1);
    ma_table_free(t);
    free(s);
}

/* An input beyond 1 GiB is refused before a byte of it is looked at (the pages of this
 * mapping are never touched, so it costs no memory). */
static void test_input_limit(void **state)
{
    size_t len = MA_TABLE_MAX_INPUT + 1;
    void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ma_table_t *t = NULL;
    ma_error_t err;
    (void)state;
    assert_true(p != MAP_FAILED);
    assert_int_equal(ma_table_read_mem(p, len, "big.csv", &t, &err), MA_EINPUT);
    expect_msg(&err, "input larger than 1024 MiB");
    assert_int_equal(ma_table_read_mem(p, len - 1, "big.csv", &t, &err), MA_EINPUT);
    expect_msg(&err, "binary data"); /* within the limit: read, and its NULs refused */
    munmap(p, len);
}

/* References from R (metafor 3.8):
 *   escalc(measure="SMD", di=0.8, n1i=20, n2i=22)          yi 0.78488975554935636
 *                                                           vi 0.10278849698271604
 *   J <- metafor:::.cmicalc(40)
 *   escalc(measure="SMD", di=0.5/J, n1i=20, n2i=22)        yi 0.5, vi 0.098430735930735938
 *   escalc(..., vtype="UB")                                 vi 0.098722098072910242
 *   x <- escalc(measure="OR", ai=12, bi=8, ci=5, di=15); z <- qnorm(0.975)
 *   exp(x$yi + c(0, -z, z) * sqrt(x$vi))   OR 4.4999999999999991 [1.1656343450444522,
 *                                          17.372514876633758]
 *   escalc(measure="OR2DL", ai=12, bi=8, ci=5, di=15)      yi 0.82924132979354759
 *                                                           vi 0.14438268669033133 */
static ma_es_input_t es_row(ma_es_kind_t kind, double es, double n1, double n2)
{
    ma_es_input_t in;
    ma_es_input_init(&in);
    in.form = MA_FORM_ES_REPORTED;
    in.higher_is_better = 1;
    in.es_kind = kind;
    in.es = es;
    in.n1 = n1;
    in.n2 = n2;
    return in;
}

static void test_es_kinds(void **state)
{
    ma_es_opts_t ub = {MA_MEASURE_SMD, MA_VTYPE_UB, 0}, md = {MA_MEASURE_MD, MA_VTYPE_LS, 0};
    ma_es_input_t in;
    ma_es_result_t r;
    (void)state;
    in = es_row(MA_ES_KIND_D, 0.8, 20, 22);
    ma_es_compute(&in, NULL, &r);
    assert_true(r.ok);
    assert_close(r.yi, 0.78488975554935636, 1e-12, 0);
    assert_close(r.vi, 0.10278849698271604, 1e-12, 0);
    in.es_kind = MA_ES_KIND_NONE; /* not stated: Cohen's d */
    ma_es_compute(&in, NULL, &r);
    assert_close(r.yi, 0.78488975554935636, 1e-12, 0);

    /* g is kept: J is not applied a second time, for every vtype and RevMan 5's J */
    in = es_row(MA_ES_KIND_G, 0.5, 20, 22);
    ma_es_compute(&in, NULL, &r);
    assert_true(r.ok);
    assert_close(r.yi, 0.5, 1e-14, 0);
    assert_close(r.vi, 0.098430735930735938, 1e-12, 0);
    ma_es_compute(&in, &ub, &r);
    assert_close(r.yi, 0.5, 1e-14, 0);
    assert_close(r.vi, 0.098722098072910242, 1e-12, 0);
    ub.revman5 = 1;
    ma_es_compute(&in, &ub, &r);
    assert_close(r.yi, 0.5, 1e-14, 0);
    ma_es_compute(&in, &md, &r);
    assert_false(r.ok);

    /* an odds ratio with its Wald CI gives escalc's OR2DL numbers from the 2x2 table */
    in = es_row(MA_ES_KIND_OR, 4.4999999999999991, NAN, NAN);
    in.es_lb = 1.1656343450444522;
    in.es_ub = 17.372514876633758;
    ma_es_compute(&in, NULL, &r);
    assert_true(r.ok);
    assert_close(r.yi, 0.82924132979354759, 1e-12, 0);
    assert_close(r.vi, 0.14438268669033133, 1e-12, 0);
    in.es_kind = MA_ES_KIND_LOG_OR; /* the same on the log scale */
    in.es = log(4.4999999999999991);
    in.es_lb = log(1.1656343450444522);
    in.es_ub = log(17.372514876633758);
    ma_es_compute(&in, NULL, &r);
    assert_close(r.yi, 0.82924132979354759, 1e-12, 0);
    assert_close(r.vi, 0.14438268669033133, 1e-12, 0);
    in.higher_is_better = 0; /* the event is the bad outcome: sign flips, variance not */
    ma_es_compute(&in, NULL, &r);
    assert_close(r.yi, -0.82924132979354759, 1e-12, 0);
    assert_close(r.vi, 0.14438268669033133, 1e-12, 0);
    /* vtype AV recomputes SMD variances from n, never a variance taken from a CI */
    {
        ma_es_input_t two[2] = {in, es_row(MA_ES_KIND_D, 0.8, 20, 22)};
        ma_es_opts_t av = {MA_MEASURE_SMD, MA_VTYPE_AV, 0};
        ma_es_result_t res[2];
        ma_es_compute_all(two, 2, &av, res);
        assert_true(res[0].ok && res[1].ok);
        assert_close(res[0].vi, 0.14438268669033133, 1e-12, 0);
        assert_close(res[1].vi, 1 / 20.0 + 1 / 22.0 + res[1].yi * res[1].yi / 84, 1e-12, 0);
    }
    /* what the conversion needs: the CI, in order, around the estimate; OR > 0 */
    in = es_row(MA_ES_KIND_OR, 2.5, 30, 30);
    ma_es_compute(&in, NULL, &r);
    assert_false(r.ok);
    assert_string_equal(r.reason, "es_ci_lb missing");
    in.es_lb = 5.7;
    in.es_ub = 1.1;
    ma_es_compute(&in, NULL, &r);
    assert_false(r.ok);
    in.es_lb = 2.6;
    in.es_ub = 5.7;
    ma_es_compute(&in, NULL, &r);
    assert_false(r.ok);
    assert_non_null(strstr(r.reason, "outside its 95% CI"));
    in.es = -2.5;
    ma_es_compute(&in, NULL, &r);
    assert_false(r.ok);
    /* no documented conversion */
    in = es_row(MA_ES_KIND_DZ, 0.92, 13, 13);
    ma_es_compute(&in, NULL, &r);
    assert_false(r.ok);
    in.es_kind = MA_ES_KIND_R;
    ma_es_compute(&in, NULL, &r);
    assert_false(r.ok);
}

static void test_es_kind_names(void **state)
{
    (void)state;
    assert_int_equal(ma_es_kind_parse(""), MA_ES_KIND_NONE);
    assert_int_equal(ma_es_kind_parse("  "), MA_ES_KIND_NONE);
    assert_int_equal(ma_es_kind_parse("d"), MA_ES_KIND_D);
    assert_int_equal(ma_es_kind_parse(" Cohen's d "), MA_ES_KIND_D);
    assert_int_equal(ma_es_kind_parse("Hedges' g"), MA_ES_KIND_G);
    assert_int_equal(ma_es_kind_parse("OR (adjusted for age)"), MA_ES_KIND_OR);
    assert_int_equal(ma_es_kind_parse("log OR"), MA_ES_KIND_LOG_OR);
    assert_int_equal(ma_es_kind_parse("Cohen dz (within-subject, crossover; IASTM vs SSS "
                                      "pairwise comparison)"), MA_ES_KIND_DZ);
    assert_int_equal(ma_es_kind_parse("r"), MA_ES_KIND_R);
    assert_int_equal(ma_es_kind_parse("D"), -1); /* exact spelling */
    assert_int_equal(ma_es_kind_parse("RR"), -1);
    assert_int_equal(ma_es_kind_parse("(d)"), -1);
    assert_int_equal(ma_es_kind_parse("d(x)"), -1);
    assert_int_equal(ma_es_kind_parse("d (x"), -1);
    assert_int_equal(ma_es_kind_parse("d x"), -1);
    assert_string_equal(ma_es_kind_name(MA_ES_KIND_LOG_OR), "log_or");
    assert_true(ma_es_kind_convertible(MA_ES_KIND_G));
    assert_false(ma_es_kind_convertible(MA_ES_KIND_DZ));
}

/* The trials file as shipped reads, and its es_kind is no longer ignored. */
static void test_es_kind_in_dataset(void **state)
{
    static const char text[] =
        "study_id,data_form,n_iastm,n_comp,higher_is_better,es_reported,es_kind\n"
        "a,es_reported,20,22,yes,0.5,g\nb,es_reported,20,22,yes,0.8,\n";
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    ma_dataset_opts_t o;
    ma_error_t err;
    (void)state;
    ma_dataset_opts_init(&o);
    assert_int_equal(ma_table_read_file("data/trials.csv", &t, &err), MA_OK);
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_OK);
    ma_dataset_free(d);
    ma_table_free(t);
    assert_int_equal(ma_table_read_mem(text, sizeof text - 1, "k.csv", &t, &err), MA_OK);
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_EINPUT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.column, "es_kind");
    ma_table_free(t);
}

static ma_table_t *table(const char *text)
{
    ma_table_t *t = NULL;
    ma_error_t err;
    if (ma_table_read_mem(text, strlen(text), "x.csv", &t, &err) != MA_OK)
        fail_msg("unexpected error: %s", err.msg);
    return t;
}

#define CLAIMS_HEAD "claim_id,claim,outcome,region,comparator_class,expected\n"

/* A claims (reviews = 0) or reviews file read strictly: the error's line, column and
 * message part; nothing is returned. */
static void strict_err(int reviews, const char *text, long line, const char *col,
                       const char *part)
{
    ma_table_t *t = table(text);
    ma_claim_t *c = (ma_claim_t *)1;
    ma_review_t *r = (ma_review_t *)1;
    size_t n = 99;
    ma_error_t err;
    if (reviews) {
        assert_int_equal(ma_reviews_read(t, &r, &n, &err), MA_EINPUT);
        assert_null(r);
    } else {
        assert_int_equal(ma_claims_read(t, &c, &n, &err), MA_EINPUT);
        assert_null(c);
    }
    assert_int_equal(n, 0);
    assert_int_equal(err.line, line);
    assert_string_equal(err.column, col);
    expect_msg(&err, part);
    ma_table_free(t);
}
#define claims_err(...) strict_err(0, __VA_ARGS__)
#define reviews_err(...) strict_err(1, __VA_ARGS__)

static void test_claims_read(void **state)
{
    ma_table_t *t;
    ma_claim_t *c;
    size_t n;
    ma_error_t err;
    (void)state;
    t = table(CLAIMS_HEAD "a,Pain.,pain,other,any,favours_iastm\n"
                          "b,Larger.,function,spine_vs_other,sham,spine_larger\n");
    assert_int_equal(ma_claims_read(t, &c, &n, &err), MA_OK);
    assert_int_equal(n, 2);
    assert_string_equal(c[1].region, "spine_vs_other");
    assert_string_equal(c[1].comparator, "sham");
    assert_int_equal(c[1].line, 3);
    free(c);
    ma_table_free(t);
    /* the shipped claims read */
    assert_int_equal(ma_table_read_file("data/claims.csv", &t, &err), MA_OK);
    assert_int_equal(ma_claims_read(t, &c, &n, &err), MA_OK);
    assert_true(n >= 1);
    free(c);
    ma_table_free(t);

    /* a value spelt otherwise is an error, never a claim about no trials */
    claims_err(CLAIMS_HEAD "a,Pain.,pain,spine,any,favours_iastm\nb,Pain.,pain,Other,any,"
               "favours_iastm\n", 3, "region", "unknown value");
    claims_err(CLAIMS_HEAD "a,Pain.,\"pain \",spine,any,favours_iastm\n", 2, "outcome",
               "'pain '"); /* a quoted blank stays (libcsv trims unquoted fields only) */
    claims_err(CLAIMS_HEAD "a,Pain.,pain,spine,Sham,favours_iastm\n", 2, "comparator_class",
               "'Sham'");
    claims_err(CLAIMS_HEAD "a,Pain.,pain,spine,any,favors_iastm\n", 2, "expected",
               "unknown value");
    claims_err(CLAIMS_HEAD "a,Pain.,pain,spine,any,\n", 2, "expected", "missing value");
    claims_err(CLAIMS_HEAD "a,NA,pain,spine,any,favours_iastm\n", 2, "claim", "missing value");
    claims_err(CLAIMS_HEAD "a,Pain.,pain,spine,any,spine_larger\n", 2, "expected",
               "spine_vs_other");
    claims_err(CLAIMS_HEAD "a,Pain.,pain,spine_vs_other,any,favours_iastm\n", 2, "expected",
               "spine_vs_other");
    claims_err(CLAIMS_HEAD "a,P.,pain,spine,any,favours_iastm\nb,P.,rom,spine,any,"
               "favours_iastm\na,P.,function,spine,any,favours_iastm\n", 4, "claim_id",
               "duplicate value (first on line 2)");
    claims_err("claim_id,claim,outcome,region,expected\na,P.,pain,spine,favours_iastm\n", 0,
               "", "column 'comparator_class' missing");
}

#define REVIEWS_HEAD "review_id,region,outcome,measure,k,estimate,ci_lb,ci_ub,sign_convention\n"

static void test_reviews_read(void **state)
{
    ma_table_t *t;
    ma_review_t *r;
    size_t n;
    ma_error_t err;
    double est, lb, ub;
    (void)state;
    t = table(REVIEWS_HEAD "a,spine,pain,SMD,9,-0.66,-0.83,-0.49,negative favours scraping\n"
                           "b,mixed,rom,MD (degrees),,4.94,3.29,6.60,positive favours IASTM\n");
    assert_int_equal(ma_reviews_read(t, &r, &n, &err), MA_OK);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].sign, -1);
    ma_review_oriented(&r[0], &est, &lb, &ub);
    assert_true(est == 0.66 && lb == 0.49 && ub == 0.83);
    ma_review_oriented(&r[1], &est, &lb, &ub);
    assert_true(est == 4.94 && lb == 3.29 && ub == 6.60);
    assert_string_equal(r[1].k, "");
    assert_int_equal(r[1].line, 3);
    free(r);
    ma_table_free(t);
    assert_int_equal(ma_table_read_file("data/published_reviews.csv", &t, &err), MA_OK);
    assert_int_equal(ma_reviews_read(t, &r, &n, &err), MA_OK);
    assert_int_equal(n, t->nrow);
    free(r);
    ma_table_free(t);

    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,abc,0.6,0.4,0.8,positive favours IASTM\n", 2, "k",
                "not a number");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,0,0.6,0.4,0.8,positive favours IASTM\n", 2, "k",
                "whole number of at least 1");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,3,nan,0.4,0.8,positive favours IASTM\n", 2,
                "estimate", "not a finite number");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,3,0.6,0.4,inf,positive favours IASTM\n", 2,
                "ci_ub", "not a finite number");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,3,,0.4,0.8,positive favours IASTM\n", 2,
                "estimate", "missing value");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,3,0.6,0.8,0.4,positive favours IASTM\n", 2,
                "ci_lb", "lower bound above the upper bound");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,3,0.3,0.4,0.8,positive favours IASTM\n", 2,
                "estimate", "outside its confidence interval");
    reviews_err(REVIEWS_HEAD "a,Spine,pain,SMD,3,0.6,0.4,0.8,positive favours IASTM\n", 2,
                "region", "unknown value");
    reviews_err(REVIEWS_HEAD "a,spine,ROM,SMD,3,0.6,0.4,0.8,positive favours IASTM\n", 2,
                "outcome", "unknown value");
    reviews_err(REVIEWS_HEAD "a,spine,pain,,3,0.6,0.4,0.8,positive favours IASTM\n", 2,
                "measure", "missing value");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,3,0.6,0.4,0.8,negative favours\n", 2,
                "sign_convention", "expected 'positive favours");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,3,0.6,0.4,0.8,Positive favours IASTM\n", 2,
                "sign_convention", "expected 'positive favours");
    reviews_err(REVIEWS_HEAD "a,spine,pain,SMD,3,0.6,0.4,0.8,positive favours IASTM\n"
                "a,other,pain,SMD,3,0.6,0.4,0.8,positive favours IASTM\n", 3, "review_id",
                "duplicate value");
    reviews_err("review_id,region,outcome,measure,estimate,ci_lb,ci_ub,sign_convention\n"
                "a,spine,pain,SMD,0.6,0.4,0.8,positive favours IASTM\n", 0, "",
                "column 'k' missing");
    reviews_err("review_id,region,outcome,measure,k,n,estimate,ci_lb,ci_ub,sign_convention\n"
                "a,spine,pain,SMD,3,12.5,0.6,0.4,0.8,positive favours IASTM\n", 2, "n",
                "whole number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_duplicates),
        cmocka_unit_test(test_stream_chunk_boundaries),
        cmocka_unit_test(test_line_limit),
        cmocka_unit_test(test_input_limit),
        cmocka_unit_test(test_es_kinds),
        cmocka_unit_test(test_es_kind_names),
        cmocka_unit_test(test_es_kind_in_dataset),
        cmocka_unit_test(test_claims_read),
        cmocka_unit_test(test_reviews_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
