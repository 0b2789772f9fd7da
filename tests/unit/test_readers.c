/* The readers on hostile input: header checks at scale, streaming text checks across read
 * chunks and their limits, the es_kind of reported effect sizes, and the strict reading of
 * claims and published-review files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "iastm.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_duplicates),
        cmocka_unit_test(test_stream_chunk_boundaries),
        cmocka_unit_test(test_line_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
