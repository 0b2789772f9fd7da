/* Words for readers: study labels (src/io/studylabel.c: the author-year rule, templates,
 * letters of equal labels of different studies, past 'z' too) and codes (src/io/codemap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iastm/codemap.h"
#include "iastm/dataset.h"

static ma_table_t *table(const char *csv)
{
    ma_table_t *t = NULL;
    ma_error_t err;
    assert_int_equal(ma_table_read_mem(csv, strlen(csv), "mem.csv", &t, &err), MA_OK);
    return t;
}

static void free_labels(char **l, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static void test_citation_rule(void **state)
{
    ma_table_t *t = table("id,author,year\n"
                          "a,\"Braun M, Schwickert M, Nielsen A\",2011\n"
                          "b,\"Paranjape S, Lad R\",2020\n"
                          "c,Noreen A,NA\n"
                          "d,Giannioti et al. (full list not shown),\n"
                          "e,\"Lee JH (Lee Jeong-Hoon), Lee DK\",2016\n"
                          "f,not shown on retrieved page,2019\n"
                          "g,\"[name missing]\",2019\n"
                          "h,\"Tang (first author only, as cited in Lee MS et al. 2010)\",2008\n");
    char **l;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_table_labels(t, NULL, 0, &l, &err), MA_OK);
    assert_string_equal(l[0], "Braun et al. 2011");
    assert_string_equal(l[1], "Paranjape and Lad 2020");
    assert_string_equal(l[2], "Noreen n.d.");
    assert_string_equal(l[3], "Giannioti et al. n.d.");
    assert_string_equal(l[4], "Lee and Lee 2016");
    assert_string_equal(l[5], "f"); /* no author shown: the key */
    assert_string_equal(l[6], "g");
    assert_string_equal(l[7], "Tang 2008"); /* the remark in parentheses does not count */
    free_labels(l, t->nrow);
    ma_table_free(t);
}

/* 28 studies with one citation: a..z, then aa, ab; rows of one study share its letter. */
static void test_letters(void **state)
{
    char csv[4096], **l;
    size_t used, i;
    ma_table_t *t;
    ma_error_t err;
    (void)state;
    used = (size_t)snprintf(csv, sizeof csv, "id,author,year\n");
    for (i = 0; i < 28; i++)
        used += (size_t)snprintf(csv + used, sizeof csv - used, "s%02zu,Smith J,2001\n", i);
    used += (size_t)snprintf(csv + used, sizeof csv - used, "s00,Smith J,2001\nx,Jones,2001\n");
    t = table(csv);
    assert_int_equal(ma_table_labels(t, NULL, 0, &l, &err), MA_OK);
    assert_string_equal(l[0], "Smith 2001a");
    assert_string_equal(l[25], "Smith 2001z");
    assert_string_equal(l[26], "Smith 2001aa");
    assert_string_equal(l[27], "Smith 2001ab");
    assert_string_equal(l[28], "Smith 2001a"); /* s00 again */
    assert_string_equal(l[29], "Jones 2001");
    free_labels(l, t->nrow);
    ma_table_free(t);
}

static void test_templates(void **state)
{
    ma_table_t *t = table("id,author,year,site\n"
                          "a,\"Braun M, Schwickert M, Nielsen A\",2011,neck\n"
                          "b,Kim S,2011,knee\n"
                          "c,Kim S,2011,\n");
    char **l;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_table_labels(t, "{citation} ({site})", 0, &l, &err), MA_OK);
    assert_string_equal(l[0], "Braun et al. 2011 (neck)");
    assert_string_equal(l[1], "Kim 2011a (knee)"); /* the citation keeps its letter */
    assert_string_equal(l[2], "Kim 2011b ()");
    free_labels(l, t->nrow);
    /* equal template labels: the letter goes after the year */
    assert_int_equal(ma_table_labels(t, "{{{author}}} {year}:", 0, &l, &err), MA_OK);
    assert_string_equal(l[0], "{Braun M, Schwickert M, Nielsen A} 2011:");
    assert_string_equal(l[1], "{Kim S} 2011a:");
    assert_string_equal(l[2], "{Kim S} 2011b:");
    free_labels(l, t->nrow);
    /* a plain column name */
    assert_int_equal(ma_table_labels(t, "site", 0, &l, &err), MA_OK);
    assert_string_equal(l[0], "neck");
    free_labels(l, t->nrow);
    assert_int_equal(ma_table_labels(t, "{autor}", 0, &l, &err), MA_EUSAGE);
    assert_non_null(strstr(err.msg, "no column 'autor' (columns: id, author, year, site"));
    assert_int_equal(ma_table_labels(t, "{year", 0, &l, &err), MA_EUSAGE);
    assert_int_equal(ma_label_is_template("author"), 0);
    assert_int_equal(ma_label_is_template("{author}"), 1);
    ma_table_free(t);
}

/* Words for codes: the file first, then the built-in words, else the code itself. */
static void test_codemap(void **state)
{
    ma_codemap_t m;
    ma_error_t err;
    FILE *f;
    char path[] = "/tmp/iastm_codemapXXXXXX";
    int fd = mkstemp(path);
    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs("column,code,label\nalloc,random,Random allocation\ncomparator_class,sham,Placebo\n", f);
    fclose(f);
    ma_codemap_init(&m);
    assert_string_equal(ma_codemap_get(&m, "comparator_class", "manual_mfr"),
                        "Hands-on myofascial release");
    assert_string_equal(ma_codemap_get(&m, "comp_arm", "sham"), "Sham");
    assert_string_equal(ma_codemap_get(&m, "alloc", "random"), "random");
    assert_int_equal(ma_codemap_read(&m, path, &err), MA_OK);
    assert_string_equal(ma_codemap_get(&m, "alloc", "random"), "Random allocation");
    assert_string_equal(ma_codemap_get(&m, "comparator_class", "sham"), "Placebo");
    assert_string_equal(ma_codemap_get(&m, "region", "spine"), "Spine");
    assert_string_equal(ma_codemap_get(&m, "region", "elsewhere"), "elsewhere");
    assert_string_equal(ma_codemap_get(&m, "", "risk_of_bias"), "Risk of bias");
    ma_codemap_clear(&m);
    /* a repeated pair is an error naming both lines */
    f = fopen(path, "w");
    fputs("column,code,label\nalloc,random,A\nalloc,random,B\n", f);
    fclose(f);
    assert_int_equal(ma_codemap_read(&m, path, &err), MA_EINPUT);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "also on line 2"));
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_citation_rule),
        cmocka_unit_test(test_letters),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_codemap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
