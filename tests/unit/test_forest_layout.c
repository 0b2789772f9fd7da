/* Forest plot layout (plot_forest.c): the label column must make room for the indent of
 * rows inside a group (subgroups, forest --cluster), or long labels run into the n column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm/plot.h"

#define LONG_LABEL "Lumbar flexion, smartphone measurement (deg" /* 43 characters */

/* Distance in points from the start of the long label to the n column (x positions of
 * "set label ... at screen X" times the fixed width). */
static double label_to_n(int grouped)
{
    ma_forest_row_t rows[2];
    ma_forest_group_t g;
    ma_forest_t f;
    ma_forest_opts_t o;
    ma_gp_script_t s;
    ma_error_t err;
    const char *a, *b;
    double xa, xb;
    size_t i;
    memset(rows, 0, sizeof rows);
    for (i = 0; i < 2; i++) {
        rows[i].label = i ? "short" : LONG_LABEL;
        rows[i].yi = 0.1 * (double)(i + 1);
        rows[i].ci_lb = rows[i].yi - 0.2;
        rows[i].ci_ub = rows[i].yi + 0.2;
        rows[i].weight = NAN;
        rows[i].n1 = 17;
        rows[i].n2 = 18;
        rows[i].m1 = rows[i].sd1 = rows[i].m2 = rows[i].sd2 = NAN;
    }
    memset(&f, 0, sizeof f);
    f.rows = rows;
    f.nrows = 2;
    memset(&g, 0, sizeof g);
    g.name = "cluster";
    g.first = 0;
    g.count = 2;
    g.weight = NAN;
    if (grouped) {
        f.groups = &g;
        f.ngroups = 1;
    }
    ma_forest_opts_init(&o);
    o.width_pt = 1200;
    ma_gp_init(&s);
    if (ma_forest_script(&f, &o, &s, &err) != MA_OK)
        fail_msg("forest script: %s", err.msg);
    a = strstr(s.buf, "'" LONG_LABEL "' at screen ");
    assert_non_null(a);
    b = strstr(a, "'17' at screen ");
    assert_non_null(b);
    xa = strtod(a + strlen("'" LONG_LABEL "' at screen "), NULL);
    xb = strtod(b + strlen("'17' at screen "), NULL);
    ma_gp_clear(&s);
    return (xb - xa) * 1200;
}

static void test_group_indent_widens_label_column(void **state)
{
    (void)state;
    /* rows of a group are drawn 0.8 em to the right: the room left for the label must be
     * the same as without groups */
    assert_true(label_to_n(1) >= label_to_n(0) - 0.01);
}

/* A forest plot of 8 studies with arm data and weights at `width` points. */
static ma_status_t narrow(double width, const char *unit, ma_gp_script_t *s, ma_error_t *err)
{
    static char labels[8][32];
    ma_forest_row_t rows[8];
    ma_forest_t f;
    ma_forest_opts_t o;
    size_t i;
    memset(rows, 0, sizeof rows);
    for (i = 0; i < 8; i++) {
        snprintf(labels[i], sizeof labels[i], "Author%zu et al. 20%02zu", i, i + 10);
        rows[i].label = labels[i];
        rows[i].yi = 0.1 * (double)i;
        rows[i].ci_lb = rows[i].yi - (i == 3 ? 0.01 : 0.4); /* row 3: a very short CI */
        rows[i].ci_ub = rows[i].yi + (i == 3 ? 0.01 : 0.4);
        rows[i].weight = i == 3 ? 60 : 5;
        rows[i].n1 = 20;
        rows[i].n2 = 21;
        rows[i].m1 = 55;
        rows[i].sd1 = 47;
        rows[i].m2 = 60.5;
        rows[i].sd2 = 40;
    }
    memset(&f, 0, sizeof f);
    f.rows = rows;
    f.nrows = 8;
    ma_forest_opts_init(&o);
    o.format = MA_PLOT_PDF;
    o.width_pt = width;
    o.unit = unit;
    o.est_header = "Hedges' g [95% CI]";
    ma_gp_init(s);
    return ma_forest_script(&f, &o, s, err);
}

static void test_reflow_to_one_column(void **state)
{
    ma_gp_script_t s;
    ma_error_t err;
    const char *p;
    (void)state;
    assert_int_equal(narrow(252, "in", &s, &err), MA_OK);
    /* 3.5 in wide; every font at least 6 pt; the per-arm columns left out */
    assert_non_null(strstr(s.buf, "size 3.5000in,"));
    for (p = s.buf; (p = strstr(p, "font '")) != NULL; p++) {
        const char *comma = strchr(p, ',');
        assert_non_null(comma);
        assert_true(strtod(comma + 1, NULL) >= 6.0);
    }
    assert_null(strstr(s.buf, "'Mean (SD)'"));
    ma_gp_clear(&s);
    /* too narrow even at 6 pt: refused, the least width in the unit asked */
    assert_int_equal(narrow(72, "in", &s, &err), MA_EUSAGE);
    assert_non_null(strstr(err.msg, "width 1.00 in is too small"));
    assert_non_null(strstr(err.msg, " in)"));
    ma_gp_clear(&s);
}

static void test_wide_keeps_columns_and_precision(void **state)
{
    ma_gp_script_t s;
    ma_error_t err;
    (void)state;
    assert_int_equal(narrow(800, NULL, &s, &err), MA_OK);
    /* means and SDs to the data's precision: integers stay integers, 60.5 one decimal */
    assert_non_null(strstr(s.buf, "'55 (47)'"));
    assert_non_null(strstr(s.buf, "'60.5 (40.0)'"));
    assert_non_null(strstr(s.buf, "font 'sans-serif Bold,"));
    assert_null(strstr(s.buf, ":Bold"));
    ma_gp_clear(&s);
}

/* The square of the heavy study with a short CI stays inside its interval. */
static void test_square_inside_ci(void **state)
{
    ma_gp_script_t s;
    ma_error_t err;
    const char *p;
    double x, y, dx, dy;
    int n = 0;
    (void)state;
    assert_int_equal(narrow(504, NULL, &s, &err), MA_OK);
    p = strstr(s.buf, "$squares << EOD\n");
    assert_non_null(p);
    p += strlen("$squares << EOD\n");
    while (sscanf(p, "%lf %lf %lf %lf", &x, &y, &dx, &dy) == 4) {
        if (fabs(x - 0.3) < 1e-9) { /* row 3: CI 0.29 to 0.31 */
            assert_true(dx < 0.01); /* inside the CI half-width */
            n++;
        } else {
            assert_true(dx < 0.4);
        }
        p = strchr(p, '\n') + 1;
    }
    assert_int_equal(n, 1);
    ma_gp_clear(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_indent_widens_label_column),
        cmocka_unit_test(test_reflow_to_one_column),
        cmocka_unit_test(test_wide_keeps_columns_and_precision),
        cmocka_unit_test(test_square_inside_ci),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
