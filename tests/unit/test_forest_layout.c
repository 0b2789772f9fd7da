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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_indent_widens_label_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
