/* Forest plot layout: text columns, squares sized by weight, CI whiskers (arrows where a
 * CI leaves the axis), diamonds, prediction interval, subgroup blocks, excluded rows. */
#include "iastm/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

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

/* Kinds of display rows, top to bottom. */
typedef enum {
    ROW_STUDY, ROW_GROUP_HEAD, ROW_SUBTOTAL, ROW_TEXT, ROW_OVERALL, ROW_PI, ROW_BLANK
} rowkind_t;

typedef struct {
    rowkind_t kind;
    size_t ref;        /* study index or group index */
    char text[256];    /* ROW_TEXT */
} drow_t;

#define LABEL_MAX 44   /* characters of a study label before it is cut */
#define EXTRA_MAX 22
#define COMP_MAX 30    /* a comparator in words: "Hands-on myofascial release" */
#define TEXT_SCALE 0.9 /* statistics lines use a smaller font */

/* Column text of one study row. */
typedef struct {
    char label[LABEL_MAX * 4 + 8], extra[EXTRA_MAX * 4 + 8], comp[COMP_MAX * 4 + 8];
    char n1[32], ms1[72], n2[32], ms2[72], w[32], est[96], post[96];
} cells_t;

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

/* ex: the effects are log ratios, printed as ratios */
static void est_text(char *buf, size_t n, double est, double lb, double ub, int ex)
{
    char a[32], b[32], c[32];
    if (ex) {
        est = exp(est);
        lb = exp(lb);
        ub = exp(ub);
    }
    plot_fmt_num(a, sizeof a, est, 2);
    plot_fmt_num(b, sizeof b, lb, 2);
    plot_fmt_num(c, sizeof c, ub, 2);
    snprintf(buf, n, "%s [%s, %s]", a, b, c);
}

static void mean_sd(char *buf, size_t n, double m, double sd)
{
    char a[32], b[32];
    if (isnan(m) || isnan(sd)) {
        buf[0] = '\0';
        return;
    }
    plot_fmt_num(a, sizeof a, m, 2);
    plot_fmt_num(b, sizeof b, sd, 2);
    snprintf(buf, n, "%s (%s)", a, b);
}

static void fill_cells(cells_t *c, const ma_forest_row_t *r, int ex)
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
    mean_sd(c->ms1, sizeof c->ms1, r->m1, r->sd1);
    mean_sd(c->ms2, sizeof c->ms2, r->m2, r->sd2);
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

/* Tick marks of a log-ratio axis labelled in ratios (metafor's atransf = exp): ratios
 * 1, 10^e, 2 and 1/2, 5 * 10^e and 2 * 10^e, other powers of 2, in this order of
 * preference, each kept when its label does not crowd those already kept. */
static void ratio_tics(ma_gp_script_t *s, double xmin, double xmax, double ptx, double cw,
                       double F)
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
    ma_gp_printf(s, "set xtics out nomirror scale 0.6,0 font ',%g' (", F * 0.95);
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
                    (double)(strlen(a) + strlen(b)) / 2 * cw + 1.5 * F)
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
    const double F = o->font_pt > 0 ? o->font_pt : 10;
    const double cw = PLOT_CHAR_EM * F; /* average character width */
    const int bayes = f->post_mean != NULL; /* two markers per study row */
    const double rowh = (bayes ? 2.1 : 1.6) * F, pad = 1.4 * F, margin = 1.0 * F;
    const double off = bayes ? 0.2 : 0; /* observed above, posterior below the row centre */
    drow_t *rows = NULL;
    cells_t *cells = NULL;
    size_t nd = 0, i, g, maxrows;
    int has_raw = 0, has_w = 0, has_extra = o->extra_header != NULL, has_groups;
    int has_comp = o->comp_header != NULL;
    double w_comp = 0, x_comp = 0;
    double w_label, w_extra = 0, w_n1 = 0, w_ms1 = 0, w_n2 = 0, w_ms2 = 0, w_w = 0, w_est;
    double w_post = 0, x_post = 0;
    double w_text = 0, x, x_label, x_extra = 0, x_n1 = 0, x_ms1 = 0, x_n2 = 0, x_ms2 = 0;
    double plot_l, plot_r, plot_w, x_w = 0, x_est, W, H, top, p_top, p_bot, axis_h;
    double xmin, xmax, step, wmax = 0, ptx, null = o->null_value;
    size_t header_rows = 2, first_data_row, overall_row = 0, nexl_lines;
    char buf[512];
    ma_status_t st = MA_OK;

    if (f->nrows == 0)
        return ma_error_set(err, MA_EUSAGE, "forest plot: no rows to draw");
    has_groups = f->groups && f->ngroups > 0;
    maxrows = f->nrows + (has_groups ? 4 * f->ngroups : 0) + 8 + f->n_overall_text;
    rows = calloc(maxrows, sizeof *rows);
    cells = calloc(f->nrows, sizeof *cells);
    if (!rows || !cells) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }

    /* Display rows. */
#define ADD(k, r) (rows[nd].kind = (k), rows[nd].ref = (r), &rows[nd++])
    if (has_groups) {
        for (g = 0; g < f->ngroups; g++) {
            const ma_forest_group_t *gr = &f->groups[g];
            ADD(ROW_GROUP_HEAD, g);
            for (i = gr->first; i < gr->first + gr->count && i < f->nrows; i++)
                ADD(ROW_STUDY, i);
            if (gr->fit) {
                ADD(ROW_SUBTOTAL, g);
                if (o->show_heterogeneity && gr->fit->k > 1)
                    het_text(ADD(ROW_TEXT, g)->text, sizeof rows[0].text, gr->fit);
            }
            ADD(ROW_BLANK, 0);
        }
    } else {
        for (i = 0; i < f->nrows; i++)
            ADD(ROW_STUDY, i);
        if (f->overall)
            ADD(ROW_BLANK, 0);
    }
    if (f->overall) {
        const ma_rma_t *r = f->overall;
        overall_row = nd;
        ADD(ROW_OVERALL, 0);
        if (isfinite(r->pi_lb) && isfinite(r->pi_ub) && r->method_used != MA_METHOD_FE)
            ADD(ROW_PI, 0);
        if (f->overall_text) {
            for (i = 0; i < f->n_overall_text; i++)
                snprintf(ADD(ROW_TEXT, 0)->text, sizeof rows[0].text, "%s", f->overall_text[i]);
        } else {
            if (o->show_heterogeneity && r->k > 1)
                het_text(ADD(ROW_TEXT, 0)->text, sizeof rows[0].text, r);
            test_text(ADD(ROW_TEXT, 0)->text, sizeof rows[0].text, r);
        }
        if (f->overall_note)
            snprintf(ADD(ROW_TEXT, 0)->text, sizeof rows[0].text, "%s", f->overall_note);
        if (has_groups && isfinite(f->Q_between)) {
            char q[32], p[32];
            plot_fmt_num(q, sizeof q, f->Q_between, 2);
            plot_fmt_p(p, sizeof p, f->Q_between_p);
            snprintf(ADD(ROW_TEXT, 0)->text, sizeof rows[0].text,
                     "Test for subgroup differences: Q = %s (df = %.0f), %s", q,
                     f->Q_between_df, p);
        }
    }
#undef ADD
    while (nd > 0 && rows[nd - 1].kind == ROW_BLANK)
        nd--;

    /* Column widths from the text. */
    for (i = 0; i < f->nrows; i++) {
        const ma_forest_row_t *r = &f->rows[i];
        fill_cells(&cells[i], r, o->transf_exp);
        if (bayes && isfinite(f->post_mean[i]))
            est_text(cells[i].post, sizeof cells[i].post, f->post_mean[i], f->post_lb[i],
                     f->post_ub[i], o->transf_exp);
        if (!isnan(r->n1) || !isnan(r->n2) || !isnan(r->m1) || !isnan(r->m2))
            has_raw = 1;
        if (!isnan(r->weight)) {
            has_w = 1;
            wmax = maxd(wmax, r->weight);
        }
    }
    w_label = PLOT_BOLD * cw * (double)ma_gp_strwidth(o->label_header ? o->label_header : "");
    w_est = PLOT_BOLD * cw * (double)ma_gp_strwidth(o->est_header ? o->est_header : "");
    if (has_extra)
        w_extra = PLOT_BOLD * cw * (double)ma_gp_strwidth(o->extra_header);
    if (has_comp)
        w_comp = PLOT_BOLD * cw * (double)ma_gp_strwidth(o->comp_header);
    if (has_raw) {
        w_n1 = w_n2 = cw * 1.0;
        w_ms1 = w_ms2 = PLOT_BOLD * cw * 9.0; /* "Mean (SD)" */
    }
    if (has_w)
        w_w = PLOT_BOLD * cw * 6.0; /* "Weight" */
    for (i = 0; i < f->nrows; i++) {
        const cells_t *c = &cells[i];
        /* rows of a group are drawn indented by 0.8 em */
        w_label = maxd(w_label, cw * (double)ma_gp_strwidth(c->label) +
                                    (has_groups ? 0.8 * F : 0));
        if (has_extra)
            w_extra = maxd(w_extra, cw * (double)ma_gp_strwidth(c->extra));
        if (has_comp)
            w_comp = maxd(w_comp, cw * (double)ma_gp_strwidth(c->comp));
        if (has_raw) {
            w_n1 = maxd(w_n1, cw * (double)strlen(c->n1));
            w_ms1 = maxd(w_ms1, cw * (double)strlen(c->ms1));
            w_n2 = maxd(w_n2, cw * (double)strlen(c->n2));
            w_ms2 = maxd(w_ms2, cw * (double)strlen(c->ms2));
        }
        w_est = maxd(w_est, cw * (double)strlen(c->est));
        if (bayes)
            w_post = maxd(w_post, cw * (double)strlen(c->post));
    }
    if (bayes)
        w_post = maxd(w_post, PLOT_BOLD * cw *
                                  (double)ma_gp_strwidth(f->post_header ? f->post_header : ""));
    if (has_raw) {
        /* the arm headers span n and Mean (SD) */
        double arm1 = PLOT_BOLD * cw * (double)ma_gp_strwidth(o->arm_labels[0] ? o->arm_labels[0]
                                                                               : "Treatment");
        double arm2 = PLOT_BOLD * cw * (double)ma_gp_strwidth(o->arm_labels[1] ? o->arm_labels[1]
                                                                               : "Control");
        if (w_n1 + pad + w_ms1 < arm1)
            w_ms1 = arm1 - w_n1 - pad;
        if (w_n2 + pad + w_ms2 < arm2)
            w_ms2 = arm2 - w_n2 - pad;
    }
    for (i = 0; i < nd; i++) {
        char tmp[256];
        switch (rows[i].kind) {
        case ROW_TEXT:
            w_text = maxd(w_text, TEXT_SCALE * cw * (double)ma_gp_strwidth(rows[i].text));
            break;
        case ROW_GROUP_HEAD:
            ma_gp_clean(f->groups[rows[i].ref].name, tmp, sizeof tmp, LABEL_MAX);
            w_label = maxd(w_label, PLOT_BOLD * cw * (double)ma_gp_strwidth(tmp));
            break;
        case ROW_OVERALL:
            ma_gp_clean(f->overall_label, tmp, sizeof tmp, 60);
            w_label = maxd(w_label, PLOT_BOLD * cw * (double)ma_gp_strwidth(tmp));
            est_text(tmp, sizeof tmp, f->overall->estimate, f->overall->ci_lb,
                     f->overall->ci_ub, o->transf_exp);
            if (bayes) /* a posterior: in the posterior column */
                w_post = maxd(w_post, PLOT_BOLD * cw * (double)strlen(tmp));
            else
                w_est = maxd(w_est, PLOT_BOLD * cw * (double)strlen(tmp));
            break;
        case ROW_SUBTOTAL:
            est_text(tmp, sizeof tmp, f->groups[rows[i].ref].fit->estimate,
                     f->groups[rows[i].ref].fit->ci_lb, f->groups[rows[i].ref].fit->ci_ub,
                     o->transf_exp);
            w_est = maxd(w_est, PLOT_BOLD * cw * (double)strlen(tmp));
            w_label = maxd(w_label, PLOT_BOLD * cw * 18);
            break;
        case ROW_PI:
            w_label = maxd(w_label, cw * (double)ma_gp_strwidth(f->pi_label ? f->pi_label
                                                                             : "Prediction interval"));
            break;
        default:
            break;
        }
    }

    /* Horizontal layout in points, left to right. */
    x = margin;
    x_label = x;
    x += w_label + pad;
    if (has_extra) {
        x_extra = x;
        x += w_extra + pad;
    }
    if (has_comp) {
        x_comp = x;
        x += w_comp + pad;
    }
    if (has_raw) {
        x_n1 = x + w_n1;
        x += w_n1 + pad;
        x_ms1 = x + w_ms1;
        x += w_ms1 + 2 * pad;
        x_n2 = x + w_n2;
        x += w_n2 + pad;
        x_ms2 = x + w_ms2;
        x += w_ms2 + pad;
    }
    plot_l = maxd(x, margin + w_text + pad);
    plot_w = 26 * F;
    plot_r = plot_l + plot_w;
    x = plot_r + pad;
    if (has_w) {
        x_w = x + w_w;
        x += w_w + pad;
    }
    x_est = x + w_est;
    if (bayes) {
        x += w_est + pad;
        x_post = x + w_post;
        W = x_post + margin;
    } else {
        W = x_est + margin;
    }
    if (o->width_pt > 0) {
        /* a requested width changes the plot area only */
        double extra = o->width_pt - W;
        if (plot_w + extra < 8 * F) {
            st = ma_error_set(err, MA_EUSAGE, "forest plot: width %.0f pt is too small for "
                              "the text (at least %.0f pt)", o->width_pt, W - plot_w + 8 * F);
            goto done;
        }
        plot_w += extra;
        plot_r += extra;
        x_w += extra;
        x_est += extra;
        x_post += extra;
        W = o->width_pt;
    }

    /* Vertical layout: title, two header rows, the rows, the axis, excluded rows. */
    top = o->title ? 2.6 * F : margin;
    p_top = top;
    first_data_row = header_rows;
    p_bot = p_top + (double)(nd + header_rows) * rowh;
    axis_h = 6.0 * F;
    nexl_lines = f->nexcluded ? f->nexcluded + 1 : 0;
    H = p_bot + axis_h + (double)nexl_lines * 1.35 * F + (nexl_lines ? 0.6 * F : 0) + margin;
    if (o->height_pt > 0) {
        if (o->height_pt < H) {
            st = ma_error_set(err, MA_EUSAGE, "forest plot: height %.0f pt is too small for "
                              "%zu rows (at least %.0f pt)", o->height_pt, nd, H);
            goto done;
        }
        H = o->height_pt;
    }

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
        step = plot_nice_step((hi - lo) / 5);
        xmin = floor(lo / step + 1e-9) * step;
        xmax = ceil(hi / step - 1e-9) * step;
        if (xmax - xmin < step)
            xmax = xmin + step;
    }
    ptx = plot_w / (xmax - xmin);

    /* Script: frame. */
    ma_gp_printf(s, "# Forest plot: %zu rows; drawn by iastm\n", f->nrows);
    ma_gp_terminal(s, o->format, W, H, F, PLOT_PNG_SCALE);
    ma_gp_printf(s, "unset key\nunset ytics\nset border 1 lw 1 lc rgb '#000000'\n"
                    "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
                    "set tmargin at screen %.6f\nset bmargin at screen %.6f\n",
                 plot_l / W, plot_r / W, 1 - p_top / H, 1 - p_bot / H);
    ma_gp_printf(s, "set xrange [%.10g:%.10g]\nset yrange [%.6f:%.6f]\n", xmin, xmax,
                 (double)(nd + header_rows) - 0.5, -0.5);
    if (o->transf_exp)
        ratio_tics(s, xmin, xmax, ptx, cw, F);
    else
        ma_gp_printf(s, "set xtics %.10g,%.10g,%.10g out nomirror scale 0.6,0 font ',%g'\n"
                        "set format x '%%g'\n", xmin, step, xmax + step * 1e-6, F * 0.95);
    ma_gp_printf(s, "set style fill solid 1.0 noborder\n");

    /* Labels: a helper writes `set label '...' at screen X, first ROW`. */
#define LABEL(text, xpt, row, align, font)                                                   \
    do {                                                                                     \
        ma_gp_printf(s, "set label ");                                                       \
        ma_gp_quote(s, (text));                                                              \
        ma_gp_printf(s, " at screen %.6f, first %.4f %s noenhanced%s\n", (xpt) / W,          \
                     (double)(row), (align), (font));                                        \
    } while (0)

    if (o->title) {
        ma_gp_printf(s, "set label ");
        ma_gp_quote(s, o->title);
        ma_gp_printf(s, " at screen %.6f, screen %.6f left noenhanced font ',%g'\n",
                     margin / W, 1 - 1.5 * F / H, F * 1.2);
    }
    /* Header rows. */
    LABEL(o->label_header, x_label, 1, "left", " font ':Bold'");
    if (has_extra)
        LABEL(o->extra_header, x_extra, 1, "left", " font ':Bold'");
    if (has_comp)
        LABEL(o->comp_header, x_comp, 1, "left", " font ':Bold'");
    if (has_raw) {
        LABEL(o->arm_labels[0] ? o->arm_labels[0] : "Treatment", (x_n1 - w_n1 + x_ms1) / 2, 0,
              "center", " font ':Bold'");
        LABEL(o->arm_labels[1] ? o->arm_labels[1] : "Control", (x_n2 - w_n2 + x_ms2) / 2, 0,
              "center", " font ':Bold'");
        LABEL("n", x_n1, 1, "right", " font ':Bold'");
        LABEL("Mean (SD)", x_ms1, 1, "right", " font ':Bold'");
        LABEL("n", x_n2, 1, "right", " font ':Bold'");
        LABEL("Mean (SD)", x_ms2, 1, "right", " font ':Bold'");
    }
    if (has_w)
        LABEL("Weight", x_w, 1, "right", " font ':Bold'");
    LABEL(o->est_header, x_est, 1, "right", " font ':Bold'");
    if (bayes)
        LABEL(f->post_header ? f->post_header : "Posterior", x_post, 1, "right",
              " font ':Bold'");
    /* a thin rule under the header */
    ma_gp_printf(s, "set arrow from screen %.6f, first 1.5 to screen %.6f, first 1.5 nohead "
                    "lw 0.5 lc rgb '#808080'\n", margin / W, (W - margin) / W);

    /* Rows. */
    {
        char fontsmall[32];
        snprintf(fontsmall, sizeof fontsmall, " font ',%g'", F * TEXT_SCALE);
        for (i = 0; i < nd; i++) {
            size_t row = i + header_rows;
            const drow_t *d = &rows[i];
            if (d->kind == ROW_STUDY) {
                const cells_t *c = &cells[d->ref];
                LABEL(c->label, x_label + (has_groups ? 0.8 * F : 0), row, "left", "");
                if (has_extra && c->extra[0])
                    LABEL(c->extra, x_extra, row, "left", "");
                if (has_comp && c->comp[0])
                    LABEL(c->comp, x_comp, row, "left", "");
                if (has_raw) {
                    if (c->n1[0])
                        LABEL(c->n1, x_n1, row, "right", "");
                    if (c->ms1[0])
                        LABEL(c->ms1, x_ms1, row, "right", "");
                    if (c->n2[0])
                        LABEL(c->n2, x_n2, row, "right", "");
                    if (c->ms2[0])
                        LABEL(c->ms2, x_ms2, row, "right", "");
                }
                if (has_w && c->w[0])
                    LABEL(c->w, x_w, row, "right", "");
                if (c->est[0])
                    LABEL(c->est, x_est, row, "right", "");
                if (bayes && c->post[0])
                    LABEL(c->post, x_post, row, "right", " tc rgb '#b34700'");
            } else if (d->kind == ROW_GROUP_HEAD) {
                char name[LABEL_MAX * 4 + 8];
                ma_gp_clean(f->groups[d->ref].name, name, sizeof name, LABEL_MAX);
                LABEL(name, x_label, row, "left", " font ':Bold'");
            } else if (d->kind == ROW_SUBTOTAL) {
                const ma_forest_group_t *gr = &f->groups[d->ref];
                snprintf(buf, sizeof buf, "Subtotal (k = %zu)", gr->fit->k);
                LABEL(buf, x_label + 0.8 * F, row, "left", " font ':Bold'");
                if (has_w && !isnan(gr->weight)) {
                    snprintf(buf, sizeof buf, "%.1f%%", gr->weight);
                    LABEL(buf, x_w, row, "right", " font ':Bold'");
                }
                est_text(buf, sizeof buf, gr->fit->estimate, gr->fit->ci_lb, gr->fit->ci_ub,
                         o->transf_exp);
                LABEL(buf, x_est, row, "right", " font ':Bold'");
            } else if (d->kind == ROW_TEXT) {
                LABEL(d->text, x_label + (has_groups && d->ref < f->ngroups && i < overall_row
                                              ? 0.8 * F : 0),
                      row, "left", fontsmall);
            } else if (d->kind == ROW_OVERALL) {
                LABEL(f->overall_label ? f->overall_label : "Overall", x_label, row, "left",
                      " font ':Bold'");
                if (has_w)
                    LABEL("100%", x_w, row, "right", " font ':Bold'");
                est_text(buf, sizeof buf, f->overall->estimate, f->overall->ci_lb,
                         f->overall->ci_ub, o->transf_exp);
                LABEL(buf, bayes ? x_post : x_est, row, "right", " font ':Bold'");
            } else if (d->kind == ROW_PI) {
                char a[32], b[32];
                LABEL(f->pi_label ? f->pi_label : "Prediction interval", x_label, row, "left",
                      fontsmall);
                plot_fmt_num(a, sizeof a, o->transf_exp ? exp(f->overall->pi_lb)
                                                         : f->overall->pi_lb, 2);
                plot_fmt_num(b, sizeof b, o->transf_exp ? exp(f->overall->pi_ub)
                                                         : f->overall->pi_ub, 2);
                snprintf(buf, sizeof buf, "[%s, %s]", a, b);
                LABEL(buf, bayes ? x_post : x_est, row, "right", fontsmall);
            }
        }
    }

    /* Under the axis: favours labels beside the null line, then the axis label. */
    {
        double xnull = plot_l + (null - xmin) * ptx, y1 = 1 - (p_bot + 3.3 * F) / H;
        double y2 = 1 - (p_bot + 4.9 * F) / H;
        if (xnull < plot_l || xnull > plot_r)
            xnull = (plot_l + plot_r) / 2;
        if (o->favours_left) {
            ma_gp_printf(s, "set label ");
            ma_gp_quote(s, o->favours_left);
            ma_gp_printf(s, " at screen %.6f, screen %.6f right noenhanced font ',%g'\n",
                         (xnull - 0.6 * F) / W, y1, F * TEXT_SCALE);
        }
        if (o->favours_right) {
            ma_gp_printf(s, "set label ");
            ma_gp_quote(s, o->favours_right);
            ma_gp_printf(s, " at screen %.6f, screen %.6f left noenhanced font ',%g'\n",
                         (xnull + 0.6 * F) / W, y1, F * TEXT_SCALE);
        }
        if (o->xlabel) {
            ma_gp_printf(s, "set label ");
            ma_gp_quote(s, o->xlabel);
            ma_gp_printf(s, " at screen %.6f, screen %.6f center noenhanced\n",
                         (plot_l + plot_r) / 2 / W, y2);
        }
    }
    /* Rows that could not be pooled. */
    if (f->nexcluded) {
        size_t maxc = (size_t)((W - 2 * margin) / (cw * TEXT_SCALE));
        double y = p_bot + axis_h + 0.6 * F;
        snprintf(buf, sizeof buf, "Not pooled (%zu row%s):", f->nexcluded,
                 f->nexcluded == 1 ? "" : "s");
        ma_gp_printf(s, "set label ");
        ma_gp_quote(s, buf);
        ma_gp_printf(s, " at screen %.6f, screen %.6f left noenhanced font ':Bold,%g'\n",
                     margin / W, 1 - y / H, F * TEXT_SCALE);
        for (i = 0; i < f->nexcluded; i++) {
            const ma_plot_excluded_t *e = &f->excluded[i];
            char raw[1024], line[1024];
            y += 1.35 * F;
            if (e->line > 0)
                snprintf(raw, sizeof raw, "%s (line %ld): %s", e->label ? e->label : "",
                         e->line, e->reason ? e->reason : "");
            else
                snprintf(raw, sizeof raw, "%s: %s", e->label ? e->label : "",
                         e->reason ? e->reason : "");
            ma_gp_clean(raw, line, sizeof line, maxc);
            ma_gp_printf(s, "set label ");
            ma_gp_quote(s, line);
            ma_gp_printf(s, " at screen %.6f, screen %.6f left noenhanced font ',%g'\n",
                         margin / W, 1 - y / H, F * TEXT_SCALE);
        }
    }
#undef LABEL

    /* Reference lines: the null effect through all rows, the pooled estimate dashed. */
    if (null >= xmin && null <= xmax)
        ma_gp_printf(s, "set arrow from first %.10g, first %.4f to first %.10g, graph 0 "
                        "nohead lw 1 lc rgb '#404040' back\n",
                     null, (double)first_data_row - 0.5, null);
    if (f->overall && f->overall->estimate >= xmin && f->overall->estimate <= xmax)
        ma_gp_printf(s, "set arrow from first %.10g, first %.4f to first %.10g, first %.4f "
                        "nohead lw 1 dt 2 lc rgb '#909090' back\n",
                     f->overall->estimate, (double)first_data_row - 0.5, f->overall->estimate,
                     (double)(overall_row + header_rows));

    /* Diamonds (subgroups and overall) and the prediction interval bar. */
    for (i = 0; i < nd; i++) {
        const ma_rma_t *r = NULL;
        const char *colour = "#000000";
        double row = (double)(i + header_rows);
        if (rows[i].kind == ROW_SUBTOTAL) {
            r = f->groups[rows[i].ref].fit;
            colour = "#606060";
        } else if (rows[i].kind == ROW_OVERALL) {
            r = f->overall;
        } else if (rows[i].kind == ROW_PI) {
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
            double side;
            if (rows[i].kind != ROW_STUDY)
                continue;
            r = &f->rows[rows[i].ref];
            if (!isfinite(r->yi) || r->yi < xmin || r->yi > xmax)
                continue;
            side = has_w && !isnan(r->weight) && wmax > 0
                       ? 0.9 * rowh * sqrt(r->weight / wmax) : 0.5 * rowh;
            side = maxd(side, 0.28 * rowh);
            if (bayes)
                side = 0.42 * rowh;
            ma_gp_printf(s, "%.10g %.10g %.10g %.6f\n", r->yi, (double)(i + header_rows) - off,
                         side / 2 / ptx, side / 2 / rowh);
            nsq++;
        }
        ma_gp_printf(s, "EOD\n$whiskers << EOD\n");
        for (i = 0; i < nd; i++) {
            const ma_forest_row_t *r;
            double lb, ub;
            if (rows[i].kind != ROW_STUDY)
                continue;
            r = &f->rows[rows[i].ref];
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
            if (rows[i].kind != ROW_STUDY)
                continue;
            r = &f->rows[rows[i].ref];
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
                if (rows[i].kind != ROW_STUDY)
                    continue;
                m = rows[i].ref;
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
        ma_gp_printf(s, "plot NaN notitle");
        if (nci)
            ma_gp_printf(s, ", \\\n  $whiskers using 1:2:3:4 with vectors nohead lw 1 "
                            "lc rgb '#000000' notitle");
        if (narr)
            ma_gp_printf(s, ", \\\n  $arrows using 1:2:3:4 with vectors head filled "
                            "size screen 0.008,25 lw 1 lc rgb '#000000' notitle");
        if (nsq)
            ma_gp_printf(s, ", \\\n  $squares using 1:2:3:4 with boxxyerror "
                            "fc rgb '#2b5d8a' fs solid 1.0 noborder notitle");
        if (npost)
            ma_gp_printf(s, ", \\\n  $post using 1:2:3:4 with xerrorbars pt 7 ps %.3g lw 1.5 "
                            "lc rgb '#d95f02' notitle", 0.07 * rowh);
        ma_gp_printf(s, "\n");
    }
    if (s->failed)
        st = ma_error_set(err, MA_ENOMEM, "out of memory while writing the gnuplot script");
done:
    free(rows);
    free(cells);
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
    r->ci_lb = st->yi - z * sqrt(st->vi);
    r->ci_ub = st->yi + z * sqrt(st->vi);
    r->weight = NAN;
    ma_dataset_input(d, s, &in);
    r->n1 = st->n1;
    r->n2 = st->n2;
    r->m1 = r->sd1 = r->m2 = r->sd2 = NAN;
    if (st->form == MA_FORM_FINAL_SD || st->form == MA_FORM_CHANGE_SD) {
        r->m1 = in.m1;
        r->sd1 = in.sd1;
        r->m2 = in.m2;
        r->sd2 = in.sd2;
    }
}
