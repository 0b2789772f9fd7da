/* Forest plot layout: text columns, squares sized by weight, CI whiskers (arrows where a
 * CI leaves the axis), diamonds, prediction interval, subgroup blocks, excluded rows. */
#include "iastm/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"
#include "iastm/es.h"

void ma_forest_opts_init(ma_forest_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->format = MA_PLOT_PNG;
    o->label_header = "Study";
    o->est_header = "Estimate [95% CI]";
    o->xlabel = "Effect size";
    o->xlim_lo = NAN;
    o->xlim_hi = NAN;
    o->show_heterogeneity = 1;
}

/* Kinds of display rows, top to bottom. ROW_CONT continues the text of the row above
 * (a wrapped label or statistics line). */
typedef enum {
    ROW_STUDY, ROW_GROUP_HEAD, ROW_SUBTOTAL, ROW_TEXT, ROW_OVERALL, ROW_PI, ROW_BLANK,
    ROW_CONT
} rowkind_t;

typedef struct {
    rowkind_t kind;
    size_t ref;        /* study index or group index */
    int bold, small;   /* how the text is set */
    int span;          /* a statistics line across the plot area (no marks in it) */
    double indent;     /* points right of the label column's start */
    char text[256];    /* the row's label text (wrapped) */
} drow_t;

#define LABEL_MAX 44   /* characters of a study label before it is cut */
#define EXTRA_MAX 22
#define COMP_MAX 30    /* a comparator in words: "Hands-on myofascial release" */
#define TEXT_SCALE 0.9 /* statistics lines use a smaller font */
#define PAD_EM 1.0     /* space between columns */
#define MARGIN_EM 1.0
#define ROW_EM 1.6     /* row height (2.1 with two markers per row) */
#define PLOT_MIN_EM 12 /* narrowest plot area above 6 pt */
#define PLOT_TIGHT_EM 9 /* narrowest plot area at 6 pt */
#define PLOT_PREF_EM 26 /* plot area wanted before long bold labels are unwrapped */
#define PLOT_NAT_EM 26 /* plot area of the natural width */
#define LABEL_KEEP_EM 24 /* study labels (about 40 characters) are cut below this only at 6 pt */
#define LABEL_MIN_EM 8
#define DEFAULT_WIDTH 504.0 /* 7 in, a two-column figure */
#define DEFAULT_MIN_FONT 8.0
#define FOOT_LINE 1.35 /* line height of the text under the axis, in its font size */
#define EXCL_LINE 1.35 /* line height of the rows not pooled, in em of the base font */

/* The columns of the table, left to right: the plot area lies between the last left
 * column and COL_W. A new column is a new entry here, in COLDEF and in cell_text. */
typedef enum {
    COL_LABEL, COL_EXTRA, COL_COMP, COL_N1, COL_MS1, COL_N2, COL_MS2, /* left of the plot */
    COL_W, COL_EST, COL_POST,                               /* right of the plot */
    NCOL
} col_t;

/* `drop`: a narrow layout leaves columns out from the highest drop rank down (per-arm
 * columns, then weights, then the extra and comparator columns); 0: always drawn. `gap`: extra space
 * before the column (between the two arms). */
static const struct {
    int drop, right;
    double gap;
} COLDEF[NCOL] = {
    [COL_LABEL] = {0, 0, 0}, [COL_EXTRA] = {1, 0, 0}, [COL_COMP] = {1, 0, 0}, [COL_N1] = {3, 1, 0},
    [COL_MS1] = {3, 1, 0},   [COL_N2] = {3, 1, 0.6},  [COL_MS2] = {3, 1, 0},
    [COL_W] = {2, 1, 0},     [COL_EST] = {0, 1, 0},   [COL_POST] = {0, 1, 0}};
#define MAX_DROP 3

/* The header of arm a (0 or 1): the options' or metafor-like defaults. */
#define ARM(o, a) ((o)->arm_labels[a] ? (o)->arm_labels[a] : (a) ? "Control" : "Treatment")

/* Column text of one study row. */
typedef struct {
    char label[LABEL_MAX * 4 + 8], extra[EXTRA_MAX * 4 + 8], comp[COMP_MAX * 4 + 8];
    char n1[32], ms1[72], n2[32], ms2[72], w[32], est[96], post[96];
} cells_t;

static const char *cell_text(const cells_t *c, col_t col)
{
    switch (col) {
    case COL_LABEL: return c->label;
    case COL_EXTRA: return c->extra;
    case COL_COMP: return c->comp;
    case COL_N1: return c->n1;
    case COL_MS1: return c->ms1;
    case COL_N2: return c->n2;
    case COL_MS2: return c->ms2;
    case COL_W: return c->w;
    case COL_EST: return c->est;
    case COL_POST: return c->post;
    default: return "";
    }
}

static void het_text(char *buf, size_t n, const ma_rma_t *r)
{
    char t2[32], q[32], p[32], i2[32];
    plot_fmt_num(q, sizeof q, r->Q, 2);
    plot_fmt_p(p, sizeof p, r->Q_p);
    plot_fmt_num(i2, sizeof i2, r->I2, 0);
    if (r->method_used == MA_METHOD_FE) {
        snprintf(buf, n, "Heterogeneity: Q = %s (df = %.0f), %s; I\xc2\xb2 = %s%%", q, r->Q_df,
                 p, i2);
        return;
    }
    plot_fmt_num(t2, sizeof t2, r->tau2, r->tau2 > 0 && r->tau2 < 0.01 ? 4 : 2);
    snprintf(buf, n, "Heterogeneity: \xcf\x84\xc2\xb2 = %s, I\xc2\xb2 = %s%%, Q = %s (df = %.0f), %s",
             t2, i2, q, r->Q_df, p);
}

static void test_text(char *buf, size_t n, const ma_rma_t *r)
{
    char z[32], p[32];
    plot_fmt_num(z, sizeof z, r->stat, 2);
    plot_fmt_p(p, sizeof p, r->pval);
    if (isnan(r->df))
        snprintf(buf, n, "Test for overall effect: z = %s, %s", z, p);
    else
        snprintf(buf, n, "Test for overall effect: t(%.0f) = %s, %s", r->df, z, p);
}

/* An effect for the table, two decimals; ex: the effects are log ratios, printed as
 * ratios. */
static void eff_num(char *buf, size_t n, double x, int ex)
{
    plot_fmt_num(buf, n, ex ? exp(x) : x, 2);
}

/* "[lb, ub]" */
static void ci_text(char *buf, size_t n, double lb, double ub, int ex)
{
    char a[32], b[32];
    eff_num(a, sizeof a, lb, ex);
    eff_num(b, sizeof b, ub, ex);
    snprintf(buf, n, "[%s, %s]", a, b);
}

/* "est [lb, ub]" */
static void est_text(char *buf, size_t n, double est, double lb, double ub, int ex)
{
    char a[32], ci[72];
    eff_num(a, sizeof a, est, ex);
    ci_text(ci, sizeof ci, lb, ub, ex);
    snprintf(buf, n, "%s %s", a, ci);
}

/* Decimals of x as reported (0 for 55, 1 for 25.5), at most 2: means and SDs are printed
 * to the precision of the data, "55 (47)" rather than "55.00 (47.00)". */
static int value_decimals(double x)
{
    int d;
    double p = 1;
    if (!isfinite(x))
        return 0;
    for (d = 0; d < 2; d++, p *= 10)
        if (fabs(x * p - round(x * p)) < 1e-6 * fmax(1, fabs(x * p)))
            return d;
    return 2;
}

static void mean_sd(char *buf, size_t n, double m, double sd, int decimals)
{
    char a[32], b[32];
    if (isnan(m) || isnan(sd)) {
        buf[0] = '\0';
        return;
    }
    plot_fmt_num(a, sizeof a, m, decimals);
    plot_fmt_num(b, sizeof b, sd, decimals);
    snprintf(buf, n, "%s (%s)", a, b);
}

static void fill_cells(cells_t *c, const ma_forest_row_t *r, int dec1, int dec2, int ex)
{
    memset(c, 0, sizeof *c);
    ma_gp_clean(r->label, c->label, sizeof c->label, LABEL_MAX);
    if (r->extra)
        ma_gp_clean(r->extra, c->extra, sizeof c->extra, EXTRA_MAX);
    if (r->comparator)
        ma_gp_clean(r->comparator, c->comp, sizeof c->comp, COMP_MAX);
    if (!isnan(r->n1))
        snprintf(c->n1, sizeof c->n1, "%.0f", r->n1);
    if (!isnan(r->n2))
        snprintf(c->n2, sizeof c->n2, "%.0f", r->n2);
    mean_sd(c->ms1, sizeof c->ms1, r->m1, r->sd1, dec1);
    mean_sd(c->ms2, sizeof c->ms2, r->m2, r->sd2, dec2);
    if (!isnan(r->weight))
        snprintf(c->w, sizeof c->w, "%.1f%%", r->weight);
    if (isfinite(r->yi))
        est_text(c->est, sizeof c->est, r->yi, r->ci_lb, r->ci_ub, ex);
}

static double maxd(double a, double b)
{
    return a > b ? a : b;
}

/* Grow [*lo, *hi] to hold x when finite. */
static void extend(double *lo, double *hi, double x)
{
    if (!isfinite(x))
        return;
    if (x < *lo)
        *lo = x;
    if (x > *hi)
        *hi = x;
}

/* Growing array of display rows. */
typedef struct {
    drow_t *r;
    size_t n, cap;
    int failed;
} rows_t;

static drow_t *add_row(rows_t *rs, rowkind_t kind, size_t ref)
{
    drow_t *d;
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? 2 * rs->cap : 64;
        drow_t *p = realloc(rs->r, cap * sizeof *p);
        if (!p) {
            rs->failed = 1;
            return NULL;
        }
        rs->r = p;
        rs->cap = cap;
    }
    d = &rs->r[rs->n++];
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->ref = ref;
    return d;
}

/* Where wrapped lines go: the first into the row itself, the others into ROW_CONT rows. */
typedef struct {
    rows_t *rs;
    size_t first;   /* index of the row the text belongs to */
    size_t nlines;
} wrapctx_t;

static void put_line(void *vctx, const char *text)
{
    wrapctx_t *w = vctx;
    drow_t *d;
    if (w->nlines++ == 0) {
        d = &w->rs->r[w->first];
    } else {
        const drow_t *head = &w->rs->r[w->first];
        int bold = head->bold, small = head->small;
        double indent = head->indent;
        if (!(d = add_row(w->rs, ROW_CONT, head->ref)))
            return;
        d->bold = bold;
        d->small = small;
        d->indent = indent;
    }
    snprintf(d->text, sizeof d->text, "%s", text);
}

/* Add a row of `kind` whose label `text` wraps within `width` points. */
static void add_text_row(rows_t *rs, rowkind_t kind, size_t ref, const char *text, int bold,
                         int small, double indent, double size, double width)
{
    wrapctx_t w;
    drow_t *d = add_row(rs, kind, ref);
    if (!d)
        return;
    d->bold = bold;
    d->small = small;
    d->indent = indent;
    w.rs = rs;
    w.first = rs->n - 1;
    w.nlines = 0;
    plot_wrap(text, size, bold, width - indent, put_line, &w);
}

/* The display rows at font F: labels wrapped within `area` points (the label column
 * and the columns up to the plot), the subgroups' statistics lines within `full` (the
 * figure less its margins: they run across the plot area, where the reference lines
 * stop for them). The overall model's lines go to `foot`, under the axis. */
static void build_rows(const ma_forest_t *f, const ma_forest_opts_t *o, double F, double small,
                       double area, double full, rows_t *rs, rows_t *foot)
{
    const int has_groups = f->groups && f->ngroups > 0;
    const double ind = has_groups ? 0.8 * F : 0;
    char buf[512];
    size_t i, g;
    rs->n = 0;
    if (has_groups) {
        for (g = 0; g < f->ngroups; g++) {
            const ma_forest_group_t *gr = &f->groups[g];
            add_text_row(rs, ROW_GROUP_HEAD, g, gr->name, 1, 0, 0, F, area);
            for (i = gr->first; i < gr->first + gr->count && i < f->nrows; i++)
                add_row(rs, ROW_STUDY, i);
            if (gr->fit) {
                snprintf(buf, sizeof buf, "Subtotal (k = %zu)", gr->fit->k);
                add_text_row(rs, ROW_SUBTOTAL, g, buf, 1, 0, ind, F, area);
                if (o->show_heterogeneity && gr->fit->k > 1) {
                    size_t from = rs->n, j;
                    het_text(buf, sizeof buf, gr->fit);
                    add_text_row(rs, ROW_TEXT, g, buf, 0, 1, ind, small, full);
                    for (j = from; j < rs->n; j++)
                        rs->r[j].span = 1;
                }
            }
            add_row(rs, ROW_BLANK, 0);
        }
    } else {
        for (i = 0; i < f->nrows; i++)
            add_row(rs, ROW_STUDY, i);
        if (f->overall)
            add_row(rs, ROW_BLANK, 0);
    }
    foot->n = 0;
    if (f->overall) {
        const ma_rma_t *r = f->overall;
        const size_t NOREF = (size_t)-1; /* text rows of the overall model: not indented */
        add_text_row(rs, ROW_OVERALL, 0, f->overall_label ? f->overall_label : "Overall", 1,
                     0, 0, F, area);
        if (isfinite(r->pi_lb) && isfinite(r->pi_ub) && r->method_used != MA_METHOD_FE)
            add_text_row(rs, ROW_PI, 0, f->pi_label ? f->pi_label : "Prediction interval", 0,
                         1, 0, small, area);
        if (f->overall_text) {
            for (i = 0; i < f->n_overall_text; i++)
                add_text_row(foot, ROW_TEXT, NOREF, f->overall_text[i], 0, 1, 0, small, full);
        } else {
            if (o->show_heterogeneity && r->k > 1) {
                het_text(buf, sizeof buf, r);
                add_text_row(foot, ROW_TEXT, NOREF, buf, 0, 1, 0, small, full);
            }
            test_text(buf, sizeof buf, r);
            add_text_row(foot, ROW_TEXT, NOREF, buf, 0, 1, 0, small, full);
        }
        if (f->overall_note)
            add_text_row(foot, ROW_TEXT, NOREF, f->overall_note, 0, 1, 0, small, full);
        if (has_groups && isfinite(f->Q_between)) {
            char q[32], p[32];
            plot_fmt_num(q, sizeof q, f->Q_between, 2);
            plot_fmt_p(p, sizeof p, f->Q_between_p);
            snprintf(buf, sizeof buf, "Test for subgroup differences: Q = %s (df = %.0f), %s",
                     q, f->Q_between_df, p);
            add_text_row(foot, ROW_TEXT, NOREF, buf, 0, 1, 0, small, full);
        }
    }
    while (rs->n > 0 && rs->r[rs->n - 1].kind == ROW_BLANK)
        rs->n--;
}

/* The table's columns: widths at a 1 pt font (text widths scale with the size). */
typedef struct {
    int on[NCOL];            /* the data have the column */
    double em[NCOL];         /* its width in em (header and cells) */
    char head[NCOL][2][128]; /* header, on one or two lines ("" when none) */
    double label_nat;        /* widest study label, with its indent, in em */
    double text_em;          /* widest bold label spanning the left area (group, model) */
    int split;               /* some header on two lines */
} table_t;

/* Header of a right column: on two lines ("Hedges' g" over "[95% CI]") when it is wider
 * than the column's cells. */
static void set_header(table_t *t, col_t c, const char *h)
{
    double w = plot_text_width(h, 1, 1), best = w;
    const char *p, *cut = NULL;
    snprintf(t->head[c][1], sizeof t->head[c][1], "%s", h);
    if (w > t->em[c])
        for (p = strchr(h, ' '); p; p = strchr(p + 1, ' ')) {
            char a[128];
            size_t n = (size_t)(p - h);
            double m;
            if (n >= sizeof a)
                break;
            memcpy(a, h, n);
            a[n] = '\0';
            m = maxd(plot_text_width(a, 1, 1), plot_text_width(p + 1, 1, 1));
            if (m < best) {
                best = m;
                cut = p;
            }
        }
    if (cut) {
        snprintf(t->head[c][0], sizeof t->head[c][0], "%.*s", (int)(cut - h), h);
        snprintf(t->head[c][1], sizeof t->head[c][1], "%s", cut + 1);
        t->split = 1;
    }
    t->em[c] = maxd(t->em[c], best);
}

/* Is column c drawn at drop level `level` (0: all)? */
static int kept(const table_t *t, col_t c, int level)
{
    return t->on[c] && (COLDEF[c].drop == 0 || COLDEF[c].drop < MAX_DROP + 1 - level);
}

/* Horizontal positions at font F: x[c] is the column's left edge, or its right edge when
 * right-aligned; the plot area [*pl, *pr]. `label_w` is the label column's width and
 * `slack` extra room for the left area before the plot. Returns the total width. */
static double place(const table_t *t, int level, double F, double label_w, double plot_w,
                    double slack, double *x, double *pl, double *pr)
{
    double pad = PAD_EM * F, at = MARGIN_EM * F;
    int c;
    for (c = 0; c < COL_W; c++) {
        if (!kept(t, (col_t)c, level))
            continue;
        at += COLDEF[c].gap * F;
        x[c] = COLDEF[c].right ? at + t->em[c] * F : at;
        at += (c == COL_LABEL ? label_w : t->em[c] * F) + pad;
    }
    *pl = at + slack;
    *pr = *pl + plot_w;
    at = *pr;
    for (c = COL_W; c < NCOL; c++) {
        if (!kept(t, (col_t)c, level))
            continue;
        at += pad + t->em[c] * F;
        x[c] = at;
    }
    return at + MARGIN_EM * F;
}

/* The layout chosen for a width: font, columns, label width, plot width. */
typedef struct {
    double F, W, label_w, plot_w, slack;
    int level;
} fit_t;

/* Height under the plot area for the tick labels, the favours labels (when any) and the
 * axis label, in em. */
static double axis_em(const ma_forest_opts_t *o)
{
    return o->favours_left || o->favours_right ? 6.0 : 4.4;
}

/* Height of the plot with these rows and `excl_h` points of notes under the axis. */
static double plot_height(const ma_forest_opts_t *o, double F, double rowh, size_t nrows,
                          size_t header_rows, double excl_h)
{
    double top = o->title ? 2.6 * F : MARGIN_EM * F;
    return top + (double)(nrows + header_rows) * rowh + axis_em(o) * F + excl_h +
           (excl_h > 0 ? 0.6 * F : 0) + MARGIN_EM * F;
}

/* Try font F and drop level `level` in width W with study labels cut no shorter than
 * `label_min` em and a plot area of at least `plot_min` em: fills *fit and returns 1 when
 * the table fits. */
static int try_fit(const table_t *t, double W, double F, int level, double label_min,
                   double plot_min, fit_t *fit)
{
    double x[NCOL], pl, pr, lmin = fmin(t->label_nat, label_min) * F, fixed, avail;
    double pmin = plot_min * F, pref = PLOT_PREF_EM * F, area;
    fixed = place(t, level, F, 0, 0, 0, x, &pl, &pr);
    avail = W - fixed; /* label column and plot area */
    if (avail < lmin + pmin)
        return 0;
    fit->F = F;
    fit->W = W;
    fit->level = level;
    fit->label_w = fmin(t->label_nat * F, avail - pmin);
    fit->plot_w = avail - fit->label_w;
    /* room left over beyond the wanted plot width unwraps long text lines */
    area = pl + fit->label_w - MARGIN_EM * F - PAD_EM * F;
    fit->slack = 0;
    if (fit->plot_w > pref && t->text_em * F > area)
        fit->slack = fmin(fit->plot_w - pref, t->text_em * F - area);
    fit->plot_w -= fit->slack;
    return 1;
}

/* The largest font from `hi` down to `lo` (steps of 0.5 pt) at which level fits. */
static int fit_fonts(const table_t *t, double W, double hi, double lo, int level,
                     double label_min, fit_t *fit)
{
    double F;
    for (F = hi; F >= lo - 1e-9; F -= 0.5)
        if (try_fit(t, W, F, level, label_min, PLOT_MIN_EM, fit))
            return 1;
    return 0;
}

/* Choose font and columns for width W: first the font shrinks to `soft` (8 pt) with every
 * column, then columns go one drop rank at a time (each with the font from F0 to `soft`),
 * then the font shrinks to 6 pt (keeping as many columns as fit at each size), then at
 * 6 pt the plot area narrows, and last study labels are cut shorter. */
static int choose_fit(const table_t *t, double W, double F0, double soft, fit_t *fit)
{
    int level;
    double F;
    for (level = 0; level <= MAX_DROP; level++)
        if (fit_fonts(t, W, F0, soft, level, LABEL_KEEP_EM, fit))
            return 1;
    for (F = soft - 0.5; F >= PLOT_MIN_FONT - 1e-9; F -= 0.5)
        for (level = 0; level <= MAX_DROP; level++)
            if (try_fit(t, W, F, level, LABEL_KEEP_EM, PLOT_MIN_EM, fit))
                return 1;
    for (level = 0; level <= MAX_DROP; level++)
        if (try_fit(t, W, PLOT_MIN_FONT, level, LABEL_KEEP_EM, PLOT_TIGHT_EM, fit))
            return 1;
    for (level = 0; level <= MAX_DROP; level++)
        if (try_fit(t, W, PLOT_MIN_FONT, level, LABEL_MIN_EM, PLOT_TIGHT_EM, fit))
            return 1;
    return 0;
}

/* Tick marks of a log-ratio axis labelled in ratios (metafor's atransf = exp): ratios
 * 1, 10^e, 2 and 1/2, 5 * 10^e and 2 * 10^e, other powers of 2, in this order of
 * preference, each kept when its label does not crowd those already kept. Labels are set
 * at `size` points in the font `fnt`. */
static void ratio_tics(ma_gp_script_t *s, double xmin, double xmax, double ptx, double size,
                       const char *fnt)
{
    double cand[160], keep[16];
    int prio[160], nc = 0, nk = 0, p, e, j, i, q;
    for (e = -6; e <= 6; e++) {
        double t = pow(10, e);
        cand[nc] = t, prio[nc++] = e == 0 ? 0 : 1;
        cand[nc] = 5 * t, prio[nc++] = 3;
        cand[nc] = 2 * t, prio[nc++] = e == 0 || e == -1 ? 2 : 3;
    }
    for (j = -12; j <= 12; j++)
        if (j < -1 || j > 1)
            cand[nc] = pow(2, j), prio[nc++] = 4;
    ma_gp_printf(s, "set xtics out nomirror scale 0.6,0%s (", fnt);
    for (p = 0; p <= 4; p++)
        for (i = 0; i < nc; i++) {
            double x = log(cand[i]);
            char a[32];
            int ok = prio[i] == p && x >= xmin - 1e-9 && x <= xmax + 1e-9 && nk < 16;
            snprintf(a, sizeof a, "%g", cand[i]);
            for (q = 0; ok && q < nk; q++) {
                char b[32];
                snprintf(b, sizeof b, "%g", keep[q]);
                if (fabs(x - log(keep[q])) * ptx <
                    (plot_text_width(a, size, 0) + plot_text_width(b, size, 0)) / 2 + 1.5 * size)
                    ok = 0;
            }
            if (!ok)
                continue;
            keep[nk] = cand[i];
            ma_gp_printf(s, "%s'%s' %.10g", nk ? ", " : "", a, x);
            nk++;
        }
    ma_gp_printf(s, ")\n");
}

ma_status_t ma_forest_script(const ma_forest_t *f, const ma_forest_opts_t *o,
                             ma_gp_script_t *s, ma_error_t *err)
{
    const double F0 = plot_font_floor(o->font_pt > 0 ? o->font_pt : 10);
    const int bayes = f->post_mean != NULL; /* two markers per study row */
    const int ex = o->transf_exp; /* log ratios printed as ratios */
    const double off = bayes ? 0.2 : 0; /* observed above, posterior below the row centre */
    const int has_groups = f->groups && f->ngroups > 0;
    cells_t *cells = NULL;
    rows_t rs = {NULL, 0, 0, 0}, foot = {NULL, 0, 0, 0};
    table_t *t = NULL;
    fit_t fit;
    size_t i, g, header_rows, overall_row = 0, nd;
    int dec1 = 0, dec2 = 0, c, has_raw = 0;
    double F, small, rowh, margin, xc[NCOL], plot_l, plot_r, plot_w, W, H, p_top, p_bot;
    double axis_h, xmin, xmax, step, wmax = 0, ptx, null = o->null_value, area, excl_h;
    char buf[512], fnt[64], fntb[64], fnts[64], fntsb[64];
    ma_status_t st = MA_OK;

    if (f->nrows == 0)
        return ma_error_set(err, MA_EUSAGE, "forest plot: no rows to draw");
    cells = calloc(f->nrows, sizeof *cells);
    t = calloc(1, sizeof *t);
    if (!cells || !t) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }

    /* Cells and column widths (in em) from the text. */
    for (i = 0; i < f->nrows; i++) {
        const ma_forest_row_t *r = &f->rows[i];
        if (!isnan(r->m1) && !isnan(r->sd1))
            dec1 = (int)maxd(dec1, maxd(value_decimals(r->m1), value_decimals(r->sd1)));
        if (!isnan(r->m2) && !isnan(r->sd2))
            dec2 = (int)maxd(dec2, maxd(value_decimals(r->m2), value_decimals(r->sd2)));
    }
    for (i = 0; i < f->nrows; i++) {
        const ma_forest_row_t *r = &f->rows[i];
        fill_cells(&cells[i], r, dec1, dec2, ex);
        if (bayes && isfinite(f->post_mean[i]))
            est_text(cells[i].post, sizeof cells[i].post, f->post_mean[i], f->post_lb[i],
                     f->post_ub[i], ex);
        if (!isnan(r->n1) || !isnan(r->n2) || !isnan(r->m1) || !isnan(r->m2))
            has_raw = 1;
        if (!isnan(r->weight)) {
            t->on[COL_W] = 1;
            wmax = maxd(wmax, r->weight);
        }
    }
    t->on[COL_LABEL] = t->on[COL_EST] = 1;
    t->on[COL_EXTRA] = o->extra_header != NULL;
    t->on[COL_COMP] = o->comp_header != NULL;
    t->on[COL_N1] = t->on[COL_MS1] = t->on[COL_N2] = t->on[COL_MS2] = has_raw;
    t->on[COL_POST] = bayes;
    for (i = 0; i < f->nrows; i++)
        for (c = 0; c < NCOL; c++)
            t->em[c] = maxd(t->em[c], plot_text_width(cell_text(&cells[i], (col_t)c), 1, 0));
    t->label_nat = t->em[COL_LABEL] + (has_groups ? 0.8 : 0); /* rows of a group indented */
    if (f->overall) {
        est_text(buf, sizeof buf, f->overall->estimate, f->overall->ci_lb, f->overall->ci_ub,
                 ex);
        c = bayes ? COL_POST : COL_EST;
        t->em[c] = maxd(t->em[c], plot_text_width(buf, 1, 1));
        if (t->on[COL_W])
            t->em[COL_W] = maxd(t->em[COL_W], plot_text_width("100%", 1, 1));
    }
    for (g = 0; has_groups && g < f->ngroups; g++)
        if (f->groups[g].fit) {
            const ma_rma_t *r = f->groups[g].fit;
            est_text(buf, sizeof buf, r->estimate, r->ci_lb, r->ci_ub, ex);
            t->em[COL_EST] = maxd(t->em[COL_EST], plot_text_width(buf, 1, 1));
        }
    /* headers */
    snprintf(t->head[COL_LABEL][1], sizeof t->head[0][1], "%s",
             o->label_header ? o->label_header : "");
    t->label_nat = maxd(t->label_nat, plot_text_width(t->head[COL_LABEL][1], 1, 1));
    if (t->on[COL_EXTRA]) {
        snprintf(t->head[COL_EXTRA][1], sizeof t->head[0][1], "%s", o->extra_header);
        t->em[COL_EXTRA] = maxd(t->em[COL_EXTRA], plot_text_width(o->extra_header, 1, 1));
    }
    if (t->on[COL_COMP]) {
        snprintf(t->head[COL_COMP][1], sizeof t->head[0][1], "%s", o->comp_header);
        t->em[COL_COMP] = maxd(t->em[COL_COMP], plot_text_width(o->comp_header, 1, 1));
    }
    if (has_raw) {
        /* the arm headers span n and Mean (SD) */
        double arm[2], nm = plot_text_width("n", 1, 1), ms = plot_text_width("Mean (SD)", 1, 1);
        int a;
        arm[0] = plot_text_width(ARM(o, 0), 1, 1);
        arm[1] = plot_text_width(ARM(o, 1), 1, 1);
        for (a = 0; a < 2; a++) {
            col_t cn = a ? COL_N2 : COL_N1, cm = a ? COL_MS2 : COL_MS1;
            snprintf(t->head[cn][1], sizeof t->head[0][1], "n");
            snprintf(t->head[cm][1], sizeof t->head[0][1], "Mean (SD)");
            t->em[cn] = maxd(t->em[cn], nm);
            t->em[cm] = maxd(t->em[cm], ms);
            if (t->em[cn] + PAD_EM + t->em[cm] < arm[a])
                t->em[cm] = arm[a] - t->em[cn] - PAD_EM;
        }
    }
    if (t->on[COL_W])
        set_header(t, COL_W, "Weight");
    set_header(t, COL_EST, o->est_header ? o->est_header : "");
    if (bayes)
        set_header(t, COL_POST, f->post_header ? f->post_header : "Posterior");
    /* labels and lines that span the left area when it is wide enough */
    t->text_em = t->label_nat;
    for (g = 0; has_groups && g < f->ngroups; g++)
        t->text_em = maxd(t->text_em, plot_text_width(f->groups[g].name, 1, 1));
    if (f->overall) {
        t->text_em = maxd(t->text_em,
                          plot_text_width(f->overall_label ? f->overall_label : "Overall", 1, 1));
    }

    /* Width: the font and columns that fit it. */
    memset(&fit, 0, sizeof fit);
    if (o->width_pt > 0) {
        if (!choose_fit(t, o->width_pt, F0, fmin(F0, DEFAULT_MIN_FONT), &fit)) {
            char want[32], need[32];
            double x[NCOL], pl, pr;
            double least = place(t, MAX_DROP, PLOT_MIN_FONT, fmin(t->label_nat, LABEL_MIN_EM) *
                                 PLOT_MIN_FONT, PLOT_TIGHT_EM * PLOT_MIN_FONT, 0, x, &pl, &pr);
            plot_fmt_length(want, sizeof want, o->width_pt, o->unit);
            plot_fmt_length(need, sizeof need, least, o->unit);
            st = ma_error_set(err, MA_EUSAGE, "forest plot: width %s is too small even with "
                              "6 pt text, labels cut and only the study and estimate columns "
                              "(at least %s)", want, need);
            goto done;
        }
    } else if (o->font_pt <= 0 &&
               fit_fonts(t, DEFAULT_WIDTH, F0, DEFAULT_MIN_FONT, 0, INFINITY, &fit)) {
        /* 7 in with every column and every label whole */
    } else {
        /* the natural width at the font: nothing cut, text lines on one line */
        double x[NCOL], pl, pr, need;
        fit.F = F0;
        fit.level = 0;
        fit.label_w = t->label_nat * F0;
        fit.plot_w = PLOT_NAT_EM * F0;
        place(t, 0, F0, fit.label_w, 0, 0, x, &pl, &pr);
        need = MARGIN_EM * F0 + t->text_em * F0 + PAD_EM * F0;
        fit.slack = maxd(0, need - pl);
        fit.W = place(t, 0, F0, fit.label_w, fit.plot_w, fit.slack, x, &pl, &pr);
    }
    F = fit.F;
    plot_w = fit.plot_w;
    W = place(t, fit.level, F, fit.label_w, plot_w, fit.slack, xc, &plot_l, &plot_r);
    if (!(o->width_pt > 0))
        W = ceil(W - 1e-9); /* whole points: the terminal's size is W exactly */

    /* Vertical layout: title, header rows, the rows, the axis, excluded rows. A height
     * too small shrinks the font (to 6 pt), as a width does. */
    for (;;) {
        small = plot_font_floor(TEXT_SCALE * F);
        rowh = (bayes ? 2.1 : ROW_EM) * F;
        margin = MARGIN_EM * F;
        area = plot_l - PAD_EM * F - margin;
        build_rows(f, o, F, small, area, W - 2 * margin, &rs, &foot);
        if (rs.failed || foot.failed) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto done;
        }
        header_rows = kept(t, COL_N1, fit.level) || t->split ? 2 : 1;
        excl_h = plot_excluded(NULL, "Not pooled", f->excluded, f->nexcluded, 0, 0, W, 1,
                               small, W - 2 * margin, EXCL_LINE * F);
        H = plot_height(o, F, rowh, rs.n, header_rows, excl_h) +
            (foot.n ? (double)foot.n * FOOT_LINE * small + 0.4 * F : 0);
        if (!(o->height_pt > 0) || o->height_pt >= H)
            break;
        if (F <= PLOT_MIN_FONT + 1e-9) {
            char want[32], need[32];
            plot_fmt_length(want, sizeof want, o->height_pt, o->unit);
            plot_fmt_length(need, sizeof need, H, o->unit);
            st = ma_error_set(err, MA_EUSAGE, "forest plot: height %s is too small for %zu "
                              "rows even with 6 pt text (at least %s)", want, rs.n, need);
            goto done;
        }
        /* the same width, a smaller font: columns never come back */
        F = fmax(PLOT_MIN_FONT, F - 0.5);
        fit.label_w = fmin(fit.label_w, t->label_nat * F);
        plot_w = W - place(t, fit.level, F, fit.label_w, 0, 0, xc, &plot_l, &plot_r);
        place(t, fit.level, F, fit.label_w, plot_w, 0, xc, &plot_l, &plot_r);
    }
    if (o->height_pt > 0)
        H = o->height_pt;
    nd = rs.n;
    for (i = 0; i < nd; i++)
        if (rs.r[i].kind == ROW_OVERALL)
            overall_row = i;
    p_top = o->title ? 2.6 * F : margin;
    p_bot = p_top + (double)(nd + header_rows) * rowh;
    axis_h = axis_em(o) * F;
    ma_gp_font(fnt, sizeof fnt, F, 0);
    ma_gp_font(fntb, sizeof fntb, F, 1);
    ma_gp_font(fnts, sizeof fnts, small, 0);
    ma_gp_font(fntsb, sizeof fntsb, small, 1);

    /* Axis range. */
    if (isfinite(o->xlim_lo) && isfinite(o->xlim_hi)) {
        if (!(o->xlim_lo < o->xlim_hi)) {
            st = ma_error_set(err, MA_EUSAGE, "forest plot: x limits must be increasing");
            goto done;
        }
        xmin = o->xlim_lo;
        xmax = o->xlim_hi;
        step = plot_nice_step((xmax - xmin) / 5);
    } else {
        double lo = null, hi = null;
        for (i = 0; i < f->nrows; i++) {
            extend(&lo, &hi, f->rows[i].ci_lb);
            extend(&lo, &hi, f->rows[i].ci_ub);
            extend(&lo, &hi, f->rows[i].yi);
            if (bayes) {
                extend(&lo, &hi, f->post_lb[i]);
                extend(&lo, &hi, f->post_ub[i]);
            }
        }
        if (f->overall) {
            extend(&lo, &hi, f->overall->ci_lb);
            extend(&lo, &hi, f->overall->ci_ub);
            extend(&lo, &hi, f->overall->pi_lb);
            extend(&lo, &hi, f->overall->pi_ub);
        }
        for (g = 0; has_groups && g < f->ngroups; g++)
            if (f->groups[g].fit) {
                extend(&lo, &hi, f->groups[g].fit->ci_lb);
                extend(&lo, &hi, f->groups[g].fit->ci_ub);
            }
        if (!(hi > lo)) {
            lo -= 1;
            hi += 1;
        }
        /* about one tic per 4 em of the plot area, at least 2 intervals */
        step = plot_nice_step((hi - lo) / fmax(2, fmin(5, plot_w / (4 * F))));
        xmin = floor(lo / step + 1e-9) * step;
        xmax = ceil(hi / step - 1e-9) * step;
        if (xmax - xmin < step)
            xmax = xmin + step;
    }
    ptx = plot_w / (xmax - xmin);

    /* Script: frame. */
    ma_gp_printf(s, "# Forest plot: %zu rows; drawn by iastm\n", f->nrows);
    ma_gp_terminal(s, o->format, W, H, F, plot_png_scale(o->dpi));
    ma_gp_printf(s, "unset key\nunset ytics\nset border 1 lw 1 lc rgb '#000000'\n"
                    "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
                    "set tmargin at screen %.6f\nset bmargin at screen %.6f\n",
                 plot_l / W, plot_r / W, 1 - p_top / H, 1 - p_bot / H);
    ma_gp_printf(s, "set xrange [%.10g:%.10g]\nset yrange [%.6f:%.6f]\n", xmin, xmax,
                 (double)(nd + header_rows) - 0.5, -0.5);
    if (ex)
        ratio_tics(s, xmin, xmax, ptx, small, fnts);
    else
        ma_gp_printf(s, "set xtics %.10g,%.10g,%.10g out nomirror scale 0.6,0%s\n"
                        "set format x '%%g'\n", xmin, step, xmax + step * 1e-6, fnts);
    ma_gp_printf(s, "set style fill solid 1.0 noborder\n");

    /* Labels: a helper writes `set label '...' at screen X, first ROW`. */
#define LABEL(text, xpt, row, align, font)                                                   \
    do {                                                                                     \
        ma_gp_printf(s, "set label ");                                                       \
        ma_gp_quote(s, (text));                                                              \
        ma_gp_printf(s, " at screen %.6f, first %.4f %s noenhanced%s\n", (xpt) / W,          \
                     (double)(row), (align), (font));                                        \
    } while (0)
#define SCREEN_LABEL(text, xpt, ypt, align, font)                                           \
    do {                                                                                     \
        ma_gp_printf(s, "set label ");                                                       \
        ma_gp_quote(s, (text));                                                              \
        ma_gp_printf(s, " at screen %.6f, screen %.6f %s noenhanced%s\n", (xpt) / W,         \
                     1 - (ypt) / H, (align), (font));                                        \
    } while (0)

    if (o->title) {
        char tf[64], tt[512];
        ma_gp_font(tf, sizeof tf, 1.2 * F, 0);
        ma_gp_clean(o->title, tt, sizeof tt, 0);
        plot_fit_text(tt, 1.2 * F, 0, W - 2 * margin, buf, sizeof buf);
        SCREEN_LABEL(buf, margin, 1.5 * F, "left", tf);
    }
    /* Header rows: the column headers on the last one, arm headers and first lines of
     * two-line headers above. */
    for (c = 0; c < NCOL; c++) {
        size_t l;
        if (!kept(t, (col_t)c, fit.level))
            continue;
        for (l = 0; l < 2; l++) {
            const char *h = t->head[c][l];
            if (!*h)
                continue;
            if (c == COL_LABEL) {
                plot_fit_text(h, F, 1, fit.label_w, buf, sizeof buf);
                h = buf;
            }
            LABEL(h, xc[c], header_rows - 2 + l, COLDEF[c].right ? "right" : "left", fntb);
        }
    }
    if (kept(t, COL_N1, fit.level)) {
        LABEL(ARM(o, 0), (xc[COL_N1] - t->em[COL_N1] * F + xc[COL_MS1]) / 2, 0, "center", fntb);
        LABEL(ARM(o, 1), (xc[COL_N2] - t->em[COL_N2] * F + xc[COL_MS2]) / 2, 0, "center", fntb);
    }
    /* a thin rule under the header */
    ma_gp_printf(s, "set arrow from screen %.6f, first %.1f to screen %.6f, first %.1f nohead "
                    "lw 0.5 lc rgb '#808080'\n", margin / W, (double)header_rows - 0.5,
                 (W - margin) / W, (double)header_rows - 0.5);

    /* Rows. */
    for (i = 0; i < nd; i++) {
        size_t row = i + header_rows;
        const drow_t *d = &rs.r[i];
        const char *font = d->small ? (d->bold ? fntsb : fnts) : (d->bold ? fntb : fnt);
        if (d->kind == ROW_STUDY) {
            const cells_t *cl = &cells[d->ref];
            double ind = has_groups ? 0.8 * F : 0;
            for (c = 0; c < NCOL; c++) {
                const char *txt = cell_text(cl, (col_t)c);
                if (!kept(t, (col_t)c, fit.level) || !*txt)
                    continue;
                if (c == COL_LABEL) {
                    plot_fit_text(txt, F, 0, fit.label_w - ind, buf, sizeof buf);
                    LABEL(buf, xc[c] + ind, row, "left", fnt);
                } else {
                    LABEL(txt, xc[c], row, COLDEF[c].right ? "right" : "left",
                          c == COL_POST ? " tc rgb '#b34700'" : "");
                }
            }
            continue;
        }
        if (d->kind == ROW_BLANK)
            continue;
        LABEL(d->text, xc[COL_LABEL] + d->indent, row, "left", font);
        if (d->kind == ROW_SUBTOTAL) {
            const ma_forest_group_t *gr = &f->groups[d->ref];
            if (kept(t, COL_W, fit.level) && !isnan(gr->weight)) {
                snprintf(buf, sizeof buf, "%.1f%%", gr->weight);
                LABEL(buf, xc[COL_W], row, "right", fntb);
            }
            est_text(buf, sizeof buf, gr->fit->estimate, gr->fit->ci_lb, gr->fit->ci_ub, ex);
            LABEL(buf, xc[COL_EST], row, "right", fntb);
        } else if (d->kind == ROW_OVERALL) {
            if (kept(t, COL_W, fit.level))
                LABEL("100%", xc[COL_W], row, "right", fntb);
            est_text(buf, sizeof buf, f->overall->estimate, f->overall->ci_lb,
                     f->overall->ci_ub, ex);
            LABEL(buf, bayes ? xc[COL_POST] : xc[COL_EST], row, "right", fntb);
        } else if (d->kind == ROW_PI) {
            ci_text(buf, sizeof buf, f->overall->pi_lb, f->overall->pi_ub, ex);
            LABEL(buf, bayes ? xc[COL_POST] : xc[COL_EST], row, "right", fnts);
        }
    }

    /* Under the axis: favours labels beside the null line (kept inside the figure), then
     * the axis label. */
    {
        double xnull = plot_l + (null - xmin) * ptx, y1 = p_bot + 2.9 * F;
        double y2 = p_bot + (o->favours_left || o->favours_right ? 4.5 : 2.9) * F;
        double gap = 0.6 * F, lw = 0, rw = 0, xl, xr;
        if (xnull < plot_l || xnull > plot_r)
            xnull = (plot_l + plot_r) / 2;
        if (o->favours_left)
            lw = plot_text_width(o->favours_left, small, 0);
        if (o->favours_right)
            rw = plot_text_width(o->favours_right, small, 0);
        xl = maxd(xnull - gap, margin + lw);
        xr = fmin(xnull + gap, W - margin - rw);
        if (xr < xl + 2 * gap) /* no room beside each other: side by side from the middle */
            xl = xr = -1;
        if (o->favours_left) {
            if (xl >= 0) {
                plot_fit_text(o->favours_left, small, 0, xl - margin, buf, sizeof buf);
                SCREEN_LABEL(buf, xl, y1, "right", fnts);
            } else {
                plot_fit_text(o->favours_left, small, 0, W - 2 * margin, buf, sizeof buf);
                SCREEN_LABEL(buf, margin, y1, "left", fnts);
            }
        }
        if (o->favours_right) {
            if (xr >= 0) {
                plot_fit_text(o->favours_right, small, 0, W - margin - xr, buf, sizeof buf);
                SCREEN_LABEL(buf, xr, y1, "left", fnts);
            } else {
                plot_fit_text(o->favours_right, small, 0, W - 2 * margin, buf, sizeof buf);
                SCREEN_LABEL(buf, W - margin, y1, "right", fnts);
            }
        }
        if (o->xlabel) {
            plot_fit_text(o->xlabel, F, 0, W - 2 * margin, buf, sizeof buf);
            double half = plot_text_width(buf, F, 0) / 2;
            SCREEN_LABEL(buf, plot_clamp((plot_l + plot_r) / 2, margin + half, W - margin - half),
                         y2, "center", fnt);
        }
    }
    /* The overall model's statistics under the axis, then the rows that could not be
     * pooled, wrapped at the figure's width. */
    for (i = 0; i < foot.n; i++)
        SCREEN_LABEL(foot.r[i].text, margin + (foot.r[i].kind == ROW_CONT ? 0.8 * F : 0),
                     p_bot + axis_h + 0.2 * F + (double)i * FOOT_LINE * small, "left", fnts);
    plot_excluded(s, "Not pooled", f->excluded, f->nexcluded, margin,
                  p_bot + axis_h + 0.6 * F +
                      (foot.n ? (double)foot.n * FOOT_LINE * small + 0.4 * F : 0),
                  W, H, small, W - 2 * margin, EXCL_LINE * F);
#undef LABEL
#undef SCREEN_LABEL

    /* Reference lines: the null effect through all rows down to the axis, the pooled
     * estimate dashed down to its diamond; both stop where a statistics line crosses. */
    {
        size_t a = 0, b;
        while (a < nd) {
            while (a < nd && rs.r[a].span)
                a++;
            for (b = a; b < nd && !rs.r[b].span; b++)
                ;
            if (a >= nd)
                break;
            if (null >= xmin && null <= xmax) {
                ma_gp_printf(s, "set arrow from first %.10g, first %.4f to first %.10g, ",
                             null, (double)(a + header_rows) - 0.5, null);
                if (b == nd)
                    ma_gp_printf(s, "graph 0");
                else
                    ma_gp_printf(s, "first %.4f", (double)(b + header_rows) - 0.5);
                ma_gp_printf(s, " nohead lw 1 lc rgb '#404040' back\n");
            }
            if (f->overall && f->overall->estimate >= xmin && f->overall->estimate <= xmax &&
                a <= overall_row)
                ma_gp_printf(s, "set arrow from first %.10g, first %.4f to first %.10g, "
                                "first %.4f nohead lw 1 dt 2 lc rgb '#909090' back\n",
                             f->overall->estimate, (double)(a + header_rows) - 0.5,
                             f->overall->estimate,
                             b > overall_row ? (double)(overall_row + header_rows)
                                             : (double)(b + header_rows) - 0.5);
            a = b;
        }
    }

    /* Diamonds (subgroups and overall) and the prediction interval bar. */
    for (i = 0; i < nd; i++) {
        const ma_rma_t *r = NULL;
        const char *colour = "#000000";
        double row = (double)(i + header_rows);
        if (rs.r[i].kind == ROW_SUBTOTAL) {
            r = f->groups[rs.r[i].ref].fit;
            colour = "#606060";
        } else if (rs.r[i].kind == ROW_OVERALL) {
            r = f->overall;
        } else if (rs.r[i].kind == ROW_PI) {
            double lb = plot_clamp(f->overall->pi_lb, xmin, xmax);
            double ub = plot_clamp(f->overall->pi_ub, xmin, xmax);
            ma_gp_printf(s, "set object rectangle from first %.10g, first %.4f to first %.10g, "
                            "first %.4f fc rgb '#7a7a7a' fs solid 1.0 noborder front\n",
                         lb, row - 0.12, ub, row + 0.12);
            continue;
        }
        if (!r || !isfinite(r->estimate))
            continue;
        ma_gp_printf(s, "set object polygon from first %.10g, first %.4f to first %.10g, "
                        "first %.4f to first %.10g, first %.4f to first %.10g, first %.4f to "
                        "first %.10g, first %.4f fc rgb '%s' fs solid 1.0 noborder front\n",
                     plot_clamp(r->ci_lb, xmin, xmax), row,
                     plot_clamp(r->estimate, xmin, xmax), row - 0.38,
                     plot_clamp(r->ci_ub, xmin, xmax), row,
                     plot_clamp(r->estimate, xmin, xmax), row + 0.38,
                     plot_clamp(r->ci_lb, xmin, xmax), row, colour);
    }

    /* Study data: squares (boxxyerror), whiskers, arrows where a CI leaves the axis. */
    {
        int nsq = 0, nci = 0, narr = 0, npost = 0;
        ma_gp_printf(s, "$squares << EOD\n");
        for (i = 0; i < nd; i++) {
            const ma_forest_row_t *r;
            double side, ci_half;
            if (rs.r[i].kind != ROW_STUDY)
                continue;
            r = &f->rows[rs.r[i].ref];
            if (!isfinite(r->yi) || r->yi < xmin || r->yi > xmax)
                continue;
            side = t->on[COL_W] && !isnan(r->weight) && wmax > 0
                       ? 0.9 * rowh * sqrt(r->weight / wmax) : 0.5 * rowh;
            side = maxd(side, 0.28 * rowh);
            if (bayes)
                side = 0.42 * rowh;
            /* the square never hides the ends of its interval: at most 70% of the
             * interval's width (points), even below the smallest mark */
            ci_half = isfinite(r->ci_lb) && isfinite(r->ci_ub)
                          ? (fmin(r->ci_ub, xmax) - fmax(r->ci_lb, xmin)) / 2 * ptx : INFINITY;
            side = fmin(side, 1.4 * ci_half);
            ma_gp_printf(s, "%.10g %.10g %.10g %.6f\n", r->yi, (double)(i + header_rows) - off,
                         side / 2 / ptx, side / 2 / rowh);
            nsq++;
        }
        ma_gp_printf(s, "EOD\n$whiskers << EOD\n");
        for (i = 0; i < nd; i++) {
            const ma_forest_row_t *r;
            double lb, ub;
            if (rs.r[i].kind != ROW_STUDY)
                continue;
            r = &f->rows[rs.r[i].ref];
            if (!isfinite(r->ci_lb) || !isfinite(r->ci_ub) || r->ci_ub < xmin ||
                r->ci_lb > xmax)
                continue;
            lb = plot_clamp(r->ci_lb, xmin, xmax);
            ub = plot_clamp(r->ci_ub, xmin, xmax);
            ma_gp_printf(s, "%.10g %.10g %.10g 0\n", lb, (double)(i + header_rows) - off,
                         ub - lb);
            nci++;
        }
        ma_gp_printf(s, "EOD\n$arrows << EOD\n");
        for (i = 0; i < nd; i++) {
            const ma_forest_row_t *r;
            double len = 0.05 * (xmax - xmin);
            double row = (double)(i + header_rows) - off;
            if (rs.r[i].kind != ROW_STUDY)
                continue;
            r = &f->rows[rs.r[i].ref];
            if (!isfinite(r->ci_lb) || !isfinite(r->ci_ub))
                continue;
            if (r->ci_lb < xmin) {
                ma_gp_printf(s, "%.10g %.10g %.10g 0\n", xmin + len, row, -len);
                narr++;
            }
            if (r->ci_ub > xmax) {
                ma_gp_printf(s, "%.10g %.10g %.10g 0\n", xmax - len, row, len);
                narr++;
            }
        }
        ma_gp_printf(s, "EOD\n");
        if (bayes) { /* posterior of each study's effect: a circle and its interval */
            ma_gp_printf(s, "$post << EOD\n");
            for (i = 0; i < nd; i++) {
                size_t m;
                double lb, ub;
                if (rs.r[i].kind != ROW_STUDY)
                    continue;
                m = rs.r[i].ref;
                if (!isfinite(f->post_mean[m]) || f->post_ub[m] < xmin || f->post_lb[m] > xmax)
                    continue;
                lb = plot_clamp(f->post_lb[m], xmin, xmax);
                ub = plot_clamp(f->post_ub[m], xmin, xmax);
                ma_gp_printf(s, "%.10g %.4f %.10g %.10g\n",
                             plot_clamp(f->post_mean[m], xmin, xmax),
                             (double)(i + header_rows) + off, lb, ub);
                npost++;
            }
            ma_gp_printf(s, "EOD\n");
        }
        /* squares first: the whiskers are drawn over them */
        ma_gp_printf(s, "plot NaN notitle");
        if (nsq)
            ma_gp_printf(s, ", \\\n  $squares using 1:2:3:4 with boxxyerror "
                            "fc rgb '#2b5d8a' fs solid 1.0 noborder notitle");
        if (nci)
            ma_gp_printf(s, ", \\\n  $whiskers using 1:2:3:4 with vectors nohead lw 1 "
                            "lc rgb '#000000' notitle");
        if (narr)
            ma_gp_printf(s, ", \\\n  $arrows using 1:2:3:4 with vectors head filled "
                            "size screen 0.008,25 lw 1 lc rgb '#000000' notitle");
        if (npost)
            ma_gp_printf(s, ", \\\n  $post using 1:2:3:4 with xerrorbars pt 7 ps %.3g lw 1.5 "
                            "lc rgb '#d95f02' notitle", 0.07 * rowh);
        ma_gp_printf(s, "\n");
    }
    if (s->failed)
        st = ma_error_set(err, MA_ENOMEM, "out of memory while writing the gnuplot script");
done:
    free(rs.r);
    free(foot.r);
    free(cells);
    free(t);
    return st;
}

void ma_forest_study_row(const ma_dataset_t *d, size_t s, const char *extra_col, double z,
                         ma_forest_row_t *r)
{
    ma_es_input_t in;
    const ma_study_t *st = &d->s[s];
    memset(r, 0, sizeof *r);
    r->label = st->cite ? st->cite : st->label;
    r->extra = extra_col ? ma_dataset_cell(d, s, extra_col) : NULL;
    r->yi = st->yi;
    ma_es_ci(st->yi, st->vi, z, &r->ci_lb, &r->ci_ub);
    r->weight = NAN;
    r->n1 = st->n1;
    r->n2 = st->n2;
    r->m1 = r->sd1 = r->m2 = r->sd2 = NAN;
    if (st->form == MA_FORM_FINAL_SD || st->form == MA_FORM_CHANGE_SD) {
        /* the row's raw input is read again only where there are means and SDs to show */
        ma_dataset_input(d, s, &in);
        r->m1 = in.m1;
        r->sd1 = in.sd1;
        r->m2 = in.m2;
        r->sd2 = in.sd2;
    }
}
