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

/* Participants per subgroup and overall count the rows with known group sizes only:
 * x has A (40 + 40) and C (sizes unknown), y has B (25 + 30) and G (10 + 12); D has no
 * group and is not counted; z has no known size (NaN). */
static void test_participants(void **state)
{
    static const char csv[] = "study,yi,vi,grp,n1i,n2i\n"
                              "A,0.30,0.04,x,40,40\n"
                              "B,0.10,0.05,y,25,30\n"
                              "C,0.45,0.03,x,,\n"
                              "D,-0.05,0.06,,50,50\n"
                              "E,0.20,0.05,z,NA,NA\n"
                              "G,0.15,0.05,y,10,12\n";
    ma_table_t *t;
    ma_dataset_t *d = NULL;
    ma_dataset_opts_t o;
    ma_subgroups_t *s = NULL;
    ma_rma_opts_t ro;
    ma_error_t err;
    size_t kept[6], miss[6], nk, nmiss, known[4], j;
    const char *group[6];
    double yi[6], vi[6], np[4];
    (void)state;
    assert_int_equal(ma_table_read_mem(csv, strlen(csv), "n.csv", &t, &err), MA_OK);
    ma_dataset_opts_init(&o);
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_OK);
    ma_subgroups_split(d, "grp", kept, group, &nk, miss, &nmiss);
    assert_int_equal(nk, 5);
    for (j = 0; j < nk; j++) {
        yi[j] = d->yi[kept[j]];
        vi[j] = d->vi[kept[j]];
    }
    ma_rma_opts_init(&ro);
    assert_int_equal(ma_subgroups_fit(yi, vi, group, nk, &ro, 0, &s, &err), MA_OK);
    assert_int_equal(s->ngroups, 3);
    ma_subgroups_participants(d, kept, s, np, known);
    assert_string_equal(s->g[0].value, "x");
    assert_close(np[0], 80, 0, 0);
    assert_int_equal(known[0], 1);
    assert_close(np[1], 77, 0, 0);
    assert_int_equal(known[1], 2);
    assert_true(isnan(np[2]));
    assert_int_equal(known[2], 0);
    assert_close(np[3], 157, 0, 0);
    assert_int_equal(known[3], 3);
    ma_subgroups_free(s);
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
        cmocka_unit_test(test_participants),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_forest_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
