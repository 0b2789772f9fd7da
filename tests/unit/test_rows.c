/* The one rule for grouping (--by) and ordering (--order) pooled rows: a missing cell
 * (empty, NA, '.') puts a row in no subgroup and last in an order, for every command. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm/cumul.h"
#include "iastm/dataset.h"
#include "iastm/plot.h"
#include "iastm/subgroup.h"

static const char CSV[] = "study,yi,vi,grp,year\n"
                          "A,0.30,0.04,x,2001\n"
                          "B,0.10,0.05,y,.\n"
                          "C,0.45,0.03,x,1999\n"
                          "D,-0.05,0.06,,2004\n"
                          "E,0.25,0.05,NA,NA\n"
                          "F,0.20,0.04,.,\n"
                          "G,0.15,0.05,y,2000\n";

static ma_dataset_t *load(ma_table_t **t)
{
    ma_dataset_opts_t o;
    ma_dataset_t *d = NULL;
    ma_error_t err;
    assert_int_equal(ma_table_read_mem(CSV, strlen(CSV), "rows.csv", t, &err), MA_OK);
    ma_dataset_opts_init(&o);
    assert_int_equal(ma_dataset_build(*t, &o, &d, &err), MA_OK);
    assert_int_equal(d->k, 7);
    return d;
}

/* Rows D, E and F have no group ('', NA, '.'): none of them is in a subgroup. */
static void test_split(void **state)
{
    ma_table_t *t;
    ma_dataset_t *d = load(&t);
    size_t kept[7], miss[7], nk, nmiss, i;
    const char *group[7];
    static const struct {
        size_t row;
        const char *group;
    } want_kept[] = {{0, "x"}, {1, "y"}, {2, "x"}, {6, "y"}};
    static const size_t want_miss[] = {3, 4, 5};
    (void)state;
    ma_subgroups_split(d, "grp", kept, group, &nk, miss, &nmiss);
    assert_int_equal(nk, 4);
    for (i = 0; i < nk; i++) {
        assert_int_equal(kept[i], want_kept[i].row);
        assert_string_equal(group[i], want_kept[i].group);
    }
    assert_int_equal(nmiss, 3);
    for (i = 0; i < nmiss; i++)
        assert_int_equal(miss[i], want_miss[i]);
    ma_dataset_free(d);
    ma_table_free(t);
}

/* Years sort numerically although '.', NA and '' are not numbers; those rows come last,
 * in input order, whichever the direction. */
static void test_order(void **state)
{
    static const struct {
        int decreasing;
        size_t perm[7];
    } cases[] = {
        {0, {2, 6, 0, 3, 1, 4, 5}}, /* 1999 2000 2001 2004, then B E F */
        {1, {3, 0, 6, 2, 1, 4, 5}}, /* 2004 2001 2000 1999, then B E F */
    };
    ma_table_t *t;
    ma_dataset_t *d = load(&t);
    size_t perm[7], nmissing, c, j;
    const char *key[7];
    ma_error_t err;
    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        assert_int_equal(ma_cumul_order_rows(d, "year", cases[c].decreasing, perm, key,
                                             &nmissing, &err), MA_OK);
        assert_int_equal(nmissing, 3);
        for (j = 0; j < 7; j++)
            assert_int_equal(perm[j], cases[c].perm[j]);
        assert_null(key[1]);
        assert_null(key[4]);
        assert_null(key[5]);
        assert_string_equal(key[2], "1999");
    }
    /* text keys: bytewise, missing last */
    assert_int_equal(ma_cumul_order_rows(d, "grp", 0, perm, NULL, &nmissing, &err), MA_OK);
    assert_int_equal(nmissing, 3);
    assert_int_equal(perm[0], 0);
    assert_int_equal(perm[1], 2);
    assert_int_equal(perm[2], 1);
    assert_int_equal(perm[3], 6);
    /* no column: input order */
    assert_int_equal(ma_cumul_order_rows(d, NULL, 0, perm, NULL, &nmissing, &err), MA_OK);
    assert_int_equal(nmissing, 0);
    for (j = 0; j < 7; j++)
        assert_int_equal(perm[j], j);
    ma_dataset_free(d);
    ma_table_free(t);
}

/* A study's forest row: yi with yi -+ z sqrt(vi), the extra column, no weight yet. */
static void test_forest_row(void **state)
{
    ma_table_t *t;
    ma_dataset_t *d = load(&t);
    ma_forest_row_t r;
    (void)state;
    ma_forest_study_row(d, d->idx[2], "grp", 1.959963984540054, &r);
    assert_string_equal(r.label, "C");
    assert_string_equal(r.extra, "x");
    assert_close(r.yi, 0.45, 1e-15, 0);
    assert_close(r.ci_lb, 0.45 - 1.959963984540054 * sqrt(0.03), 1e-15, 0);
    assert_close(r.ci_ub, 0.45 + 1.959963984540054 * sqrt(0.03), 1e-15, 0);
    assert_true(isnan(r.weight));
    assert_true(isnan(r.m1) && isnan(r.sd2)); /* yi_vi rows report no means */
    ma_forest_study_row(d, d->idx[0], NULL, 1, &r);
    assert_null(r.extra);
    assert_close(r.ci_ub - r.ci_lb, 2 * 0.2, 1e-14, 0);
    ma_dataset_free(d);
    ma_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_forest_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
