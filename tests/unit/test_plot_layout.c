/* Plot layouts (plot_forest.c, plot_funnel.c), table-driven: build the gnuplot script of a
 * small plot in memory and read its layout back: rows and their positions, the label
 * column, the axis range, the data blocks, the page size. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm.h"

/* The first line of the inline data block NAME ("$NAME << EOD" ... "EOD"), NULL when
 * absent. */
static const char *block_start(const char *script, const char *name)
{
    char head[64];
    const char *p;
    snprintf(head, sizeof head, "$%s << EOD\n", name);
    p = strstr(script, head);
    return p ? p + strlen(head) : NULL;
}

/* Lines of block NAME; -1 when absent. */
static int block_lines(const char *script, const char *name)
{
    const char *p = block_start(script, name);
    int n = 0;
    if (!p)
        return -1;
    for (; strncmp(p, "EOD\n", 4) != 0; p = strchr(p, '\n') + 1)
        n++;
    return n;
}

/* The i-th line of block NAME, its first two numbers. */
static void block_xy(const char *script, const char *name, int i, double *x, double *y)
{
    const char *p = block_start(script, name);
    char *end;
    assert_non_null(p);
    for (; i > 0; i--)
        p = strchr(p, '\n') + 1;
    *x = strtod(p, &end);
    *y = strtod(end, NULL);
}

/* Position of `set label 'TEXT' at screen X, first Y`; 0 when the label is absent. */
static int label_at(const char *script, const char *text, double *x, double *y)
{
    char head[160];
    const char *p;
    char *end;
    int n = 0;
    snprintf(head, sizeof head, "set label '%s' at screen ", text);
    for (p = script; (p = strstr(p, head)) != NULL; p += strlen(head)) {
        n++;
        *x = strtod(p + strlen(head), &end);
        assert_true(!strncmp(end, ", first ", 8));
        *y = strtod(end + 8, NULL);
    }
    assert_true(n <= 1);
    return n;
}

/* The largest row of any `set label ... at screen X, first ROW`. */
static double last_label_row(const char *script)
{
    const char *p;
    double y = -1;
    for (p = script; (p = strstr(p, "set label '")) != NULL; p++) {
        const char *q = strstr(p, "' at screen ");
        const char *nl = strchr(p, '\n');
        const char *f = q ? strstr(q, ", first ") : NULL;
        if (f && f < nl)
            y = fmax(y, strtod(f + 8, NULL));
    }
    return y;
}

static void range(const char *script, const char *axis, double *lo, double *hi)
{
    char head[32];
    const char *p;
    char *end;
    snprintf(head, sizeof head, "set %s [", axis);
    p = strstr(script, head);
    assert_non_null(p);
    *lo = strtod(p + strlen(head), &end);
    assert_int_equal(*end, ':');
    *hi = strtod(end + 1, NULL);
}

static void page_size(const char *script, double *w, double *h)
{
    const char *p = strstr(script, "set terminal svg size ");
    char *end;
    assert_non_null(p);
    *w = strtod(p + strlen("set terminal svg size "), &end);
    *h = strtod(end + 1, NULL);
}

/* Forest plots. */
#define MAXROWS 12
typedef struct {
    const char *name;
    size_t nrows;
    size_t label_len;   /* characters of each study label (at least 3) */
    size_t ngroups;     /* 0, or the rows split into this many consecutive groups */
    int overall;        /* with the summary diamond */
    double xlo, xhi;    /* NaN: from the data */
    int arms;           /* with n columns */
} forest_case_t;

static const forest_case_t FOREST[] = {
    {"one study", 1, 5, 0, 0, NAN, NAN, 1},
    {"three studies and a diamond", 3, 5, 0, 1, NAN, NAN, 1},
    {"ten studies and a diamond", 10, 5, 0, 1, NAN, NAN, 1},
    {"long labels", 3, 40, 0, 1, NAN, NAN, 1},
    {"two subgroups", 6, 5, 2, 1, NAN, NAN, 1},
    {"two subgroups without a diamond", 4, 5, 2, 0, NAN, NAN, 1},
    {"three subgroups, long labels", 9, 30, 3, 1, NAN, NAN, 1},
    {"fixed x limits cut some intervals", 4, 5, 0, 1, -0.3, 0.3, 1},
    {"no arm columns", 4, 8, 0, 1, NAN, NAN, 0},
};

typedef struct {
    char labels[MAXROWS][48];
    ma_forest_row_t rows[MAXROWS];
    ma_forest_group_t groups[MAXROWS];
    double yi[MAXROWS], vi[MAXROWS];
    ma_rma_t fit;
    ma_forest_t f;
    ma_forest_opts_t o;
    ma_gp_script_t s;
} forest_t;

static void forest_build(forest_t *x, const forest_case_t *c)
{
    ma_rma_opts_t ro;
    ma_error_t err;
    size_t i, j;
    memset(x, 0, sizeof *x);
    assert_true(c->nrows <= MAXROWS && c->label_len >= 3 && c->label_len < 48);
    for (i = 0; i < c->nrows; i++) {
        ma_forest_row_t *r = &x->rows[i];
        /* "S01xxx...": unique, of the asked length */
        snprintf(x->labels[i], sizeof x->labels[i], "S%02zu", i + 1);
        for (j = 3; j < c->label_len; j++)
            x->labels[i][j] = 'x';
        x->labels[i][c->label_len] = '\0';
        x->yi[i] = -0.4 + 0.15 * (double)i;
        x->vi[i] = 0.02 + 0.01 * (double)(i % 3);
        r->label = x->labels[i];
        r->yi = x->yi[i];
        r->ci_lb = x->yi[i] - 1.96 * sqrt(x->vi[i]);
        r->ci_ub = x->yi[i] + 1.96 * sqrt(x->vi[i]);
        r->weight = NAN;
        r->n1 = c->arms ? 20 + (double)i : NAN;
        r->n2 = c->arms ? 21 + (double)i : NAN;
        r->m1 = r->sd1 = r->m2 = r->sd2 = NAN;
    }
    x->f.rows = x->rows;
    x->f.nrows = c->nrows;
    if (c->ngroups) {
        size_t per = c->nrows / c->ngroups;
        for (j = 0; j < c->ngroups; j++) {
            static const char *const names[] = {"Group A", "Group B", "Group C"};
            x->groups[j].name = names[j];
            x->groups[j].first = j * per;
            x->groups[j].count = j + 1 == c->ngroups ? c->nrows - j * per : per;
            x->groups[j].weight = NAN;
        }
        x->f.groups = x->groups;
        x->f.ngroups = c->ngroups;
    }
    if (c->overall) {
        ma_rma_opts_init(&ro);
        assert_int_equal(ma_rma_fit(x->yi, x->vi, c->nrows, &ro, &x->fit, &err), MA_OK);
        x->f.overall = &x->fit;
        x->f.overall_label = "Random-effects model";
    }
    ma_forest_opts_init(&x->o);
    x->o.format = MA_PLOT_SVG;
    x->o.label_header = "Study";
    x->o.est_header = "SMD [95% CI]";
    x->o.xlim_lo = c->xlo;
    x->o.xlim_hi = c->xhi;
    x->o.font_pt = 10; /* the natural width at 10 pt: nothing left out or cut */
    ma_gp_init(&x->s);
    if (ma_forest_script(&x->f, &x->o, &x->s, &err) != MA_OK)
        fail_msg("%s: %s", c->name, err.msg);
}

static void test_forest_layouts(void **state)
{
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof FOREST / sizeof FOREST[0]; i++) {
        const forest_case_t *c = &FOREST[i];
        forest_t *x = malloc(sizeof *x);
        const char *sc;
        char head[64];
        double lx0 = NAN, ly0 = NAN, lx, ly, ymax = -1, ylo, yhi, xlo, xhi, hx, hy;
        size_t outside = 0, drawn;
        assert_non_null(x);
        forest_build(x, c);
        sc = x->s.buf;
        print_message("%s\n", c->name);
        snprintf(head, sizeof head, "# Forest plot: %zu rows;", c->nrows);
        assert_non_null(strstr(sc, head));
        /* one square and one whisker per study inside the axis */
        range(sc, "xrange", &xlo, &xhi);
        for (j = 0; j < c->nrows; j++)
            if (x->rows[j].ci_lb < xlo || x->rows[j].ci_ub > xhi)
                outside++;
        if (isnan(c->xlo)) {
            /* the axis holds every interval and the diamond */
            assert_int_equal(outside, 0);
            if (c->overall)
                assert_true(xlo <= x->fit.ci_lb && xhi >= x->fit.ci_ub);
        } else {
            assert_close(xlo, c->xlo, 0, 1e-12);
            assert_close(xhi, c->xhi, 0, 1e-12);
            assert_true(outside > 0); /* the row exercises the arrows */
        }
        assert_int_equal(block_lines(sc, "whiskers"), (int)c->nrows);
        /* an interval leaving the axis gets an arrow at each end it leaves */
        assert_true(block_lines(sc, "arrows") >= (int)outside);
        /* one square per study whose estimate is on the axis */
        for (j = 0, drawn = 0; j < c->nrows; j++)
            drawn += x->rows[j].yi >= xlo && x->rows[j].yi <= xhi;
        assert_int_equal(block_lines(sc, "squares"), (int)drawn);
        /* every study label once, in input order, one row apart within a group, in one
         * column (the label column) */
        assert_int_equal(label_at(sc, "Study", &hx, &hy), 1);
        for (j = 0; j < c->nrows; j++) {
            if (label_at(sc, x->labels[j], &lx, &ly) != 1)
                fail_msg("%s: label '%s' missing", c->name, x->labels[j]);
            if (j == 0) {
                lx0 = lx;
            } else {
                size_t g, first = 0;
                for (g = 0; g < c->ngroups; g++)
                    if (x->groups[g].first == j)
                        first = 1;
                assert_close(lx, lx0, 0, 1e-9);
                /* a new group (no subtotal fit here): a blank row and the group's head
                 * row between */
                assert_close(ly - ly0, first ? 3.0 : 1.0, 0, 1e-9);
            }
            ly0 = ly;
            ymax = fmax(ymax, ly);
        }
        if (c->ngroups) {
            /* group heads one row above their first study, left of the indented rows */
            for (j = 0; j < c->ngroups; j++) {
                double gx, gy, sx, sy;
                assert_int_equal(label_at(sc, x->groups[j].name, &gx, &gy), 1);
                assert_int_equal(label_at(sc, x->labels[x->groups[j].first], &sx, &sy), 1);
                assert_close(sy - gy, 1.0, 0, 1e-9);
                assert_true(gx < sx);
                assert_close(gx, hx, 0, 1e-9);
            }
        } else {
            assert_close(lx0, hx, 0, 1e-9); /* labels under their header */
        }
        if (c->overall) {
            double ox, oy;
            assert_int_equal(label_at(sc, "Random-effects model", &ox, &oy), 1);
            assert_true(oy > ymax);
            ymax = oy;
        }
        /* the y range ends half a row below the last row drawn (no trailing blank rows) */
        range(sc, "yrange", &yhi, &ylo);
        assert_close(ylo, -0.5, 0, 1e-9);
        assert_true(ymax <= last_label_row(sc));
        assert_close(yhi, last_label_row(sc) + 0.5, 0, 1e-9);
        /* the n column starts right of the widest label */
        if (c->arms) {
            double nx, ny, W, H;
            char n1[8];
            page_size(sc, &W, &H);
            snprintf(n1, sizeof n1, "%d", 20);
            assert_int_equal(label_at(sc, n1, &nx, &ny), 1);
            /* at least one character width (font 10 pt, fixed width >= 0.5 em) per label
             * character between the label start and the right-aligned n */
            assert_true((nx - lx0) * W >= 0.5 * 10 * (double)c->label_len);
        }
        ma_gp_clear(&x->s);
        free(x);
    }
}

/* The page grows by one row height per row (its width with the longest texts only), and
 * the label column by one character width per label character. */
static void test_forest_growth(void **state)
{
    double W[MAXROWS + 1], H[MAXROWS + 1], nx[4], ny, lw;
    size_t n, j;
    static const size_t lens[4] = {3, 30, 35, 40};
    (void)state;
    for (n = 1; n <= MAXROWS; n++) {
        forest_case_t c = {"rows", n, 5, 0, 1, NAN, NAN, 1};
        forest_t *x = malloc(sizeof *x);
        assert_non_null(x);
        forest_build(x, &c);
        page_size(x->s.buf, &W[n], &H[n]);
        ma_gp_clear(&x->s);
        free(x);
    }
    for (n = 2; n < MAXROWS; n++) {
        assert_close(H[n + 1] - H[n], H[3] - H[2], 0, 1.0); /* sizes are whole points */
        assert_true(H[n + 1] > H[n]);
    }
    for (j = 0; j < 4; j++) {
        forest_case_t c = {"label widths", 3, lens[j], 0, 1, NAN, NAN, 1};
        forest_t *x = malloc(sizeof *x);
        double Wp, Hp;
        assert_non_null(x);
        forest_build(x, &c);
        page_size(x->s.buf, &Wp, &Hp);
        assert_int_equal(label_at(x->s.buf, "20", &nx[j], &ny), 1);
        nx[j] *= Wp; /* in points */
        ma_gp_clear(&x->s);
        free(x);
    }
    /* labels wider than the header and the model's label widen the column; beyond
     * that, each added character moves the n column by the same amount */
    lw = (nx[3] - nx[2]) / (double)(lens[3] - lens[2]);
    assert_true(lw > 0);
    assert_true(nx[1] > nx[0]);
    /* positions are written with 6 digits of the page width: 0.001 pt per character */
    assert_close((nx[2] - nx[1]) / (double)(lens[2] - lens[1]), lw, 0, 1e-3);
}

/* Funnel plots. */
typedef struct {
    const char *name;
    size_t k, k0;
    double estimate, fill_estimate;
} funnel_case_t;

static const funnel_case_t FUNNEL[] = {
    {"three studies", 3, 0, 0.3, NAN},
    {"ten studies, two filled", 10, 2, 0.2, 0.1},
    {"one study", 1, 0, NAN, NAN},
    {"far outlier widens the axis", 5, 0, 0.0, NAN},
};

static void test_funnel_layouts(void **state)
{
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof FUNNEL / sizeof FUNNEL[0]; i++) {
        const funnel_case_t *c = &FUNNEL[i];
        double yi[16], sei[16], fyi[4], fsei[4], xlo, xhi, sb, top, semax = 0, W, H;
        ma_funnel_t f;
        ma_funnel_opts_t o;
        ma_gp_script_t s;
        ma_error_t err;
        char head[80];
        int nfill;
        for (j = 0; j < c->k; j++) {
            sei[j] = 0.1 + 0.05 * (double)j;
            yi[j] = 0.3 + ((j % 2) ? 1 : -1) * 0.1 * (double)j;
            semax = fmax(semax, sei[j]);
        }
        if (strstr(c->name, "outlier"))
            yi[c->k - 1] = 5.0;
        for (j = 0; j < c->k0; j++) {
            fsei[j] = sei[j];
            fyi[j] = -yi[j];
        }
        memset(&f, 0, sizeof f);
        f.yi = yi;
        f.sei = sei;
        f.k = c->k;
        f.fill_yi = fyi;
        f.fill_sei = fsei;
        f.k0 = c->k0;
        f.estimate = c->estimate;
        f.fill_estimate = c->fill_estimate;
        ma_funnel_opts_init(&o);
        o.format = MA_PLOT_SVG;
        ma_gp_init(&s);
        if (ma_funnel_script(&f, &o, &s, &err) != MA_OK)
            fail_msg("%s: %s", c->name, err.msg);
        print_message("%s\n", c->name);
        snprintf(head, sizeof head, "# Funnel plot: %zu studies, %zu filled;", c->k, c->k0);
        assert_non_null(strstr(s.buf, head));
        assert_int_equal(block_lines(s.buf, "studies"), (int)c->k);
        nfill = block_lines(s.buf, "filled");
        assert_int_equal(nfill < 0 ? 0 : nfill, (int)c->k0);
        for (j = 0; j < c->k; j++) {
            double bx, by;
            block_xy(s.buf, "studies", (int)j, &bx, &by);
            assert_close(bx, yi[j], 1e-9, 0);
            assert_close(by, sei[j], 1e-9, 0);
        }
        /* standard error downwards from 0 at the top, with room below the largest */
        range(s.buf, "yrange", &sb, &top);
        assert_close(top, 0, 0, 0);
        assert_true(sb >= 1.05 * semax - 1e-12);
        /* the axis holds every study, filled or not, and the 99% contour at the bottom */
        range(s.buf, "xrange", &xlo, &xhi);
        for (j = 0; j < c->k; j++)
            assert_true(xlo < yi[j] && yi[j] < xhi);
        for (j = 0; j < c->k0; j++)
            assert_true(xlo < fyi[j] && fyi[j] < xhi);
        assert_true(xhi - xlo >= 2 * 2.5758293035489 * sb * (1 - 1e-9));
        page_size(s.buf, &W, &H);
        assert_true(W > 0 && H > 0);
        ma_gp_clear(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forest_layouts),
        cmocka_unit_test(test_forest_growth),
        cmocka_unit_test(test_funnel_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
