/* Bubble plot of a one-moderator meta-regression (as metafor's regplot): studies as
 * circles with area proportional to their model weight, the fitted line with its
 * confidence band over the observed range of the moderator. */
#include "iastm/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "plot_internal.h"

/* Points of the band: enough for a smooth hyperbola at any size. */
#define BAND_POINTS 101

void ma_bubble_opts_init(ma_bubble_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->format = MA_PLOT_PNG;
    o->xlabel = "Moderator";
    o->ylabel = "Effect size";
    o->null_value = 0;
}

static double weight(const ma_bubble_t *b, size_t i)
{
    double t2 = isfinite(b->fit->tau2) ? b->fit->tau2 : 0;
    return 1 / (b->vi[i] + t2);
}

ma_status_t ma_bubble_predict(const ma_bubble_t *b, const double *x0, size_t n, double *pred,
                              double *se, double *ci_lb, double *ci_ub, ma_error_t *err)
{
    const ma_reg_t *r = b->fit;
    double sw = 0, swx = 0, xbar, sxx = 0, q;
    size_t i;

    if (!r || r->p != 2 || r->k != b->k || b->k < 2)
        return ma_error_set(err, MA_EUSAGE,
                            "bubble plot: needs a fit with an intercept and one moderator");
    if (!(b->level > 0 && b->level < 1))
        return ma_error_set(err, MA_EUSAGE, "bubble plot: level must lie in (0, 1)");
    for (i = 0; i < b->k; i++) {
        double w = weight(b, i);
        sw += w;
        swx += w * b->x[i];
    }
    xbar = swx / sw;
    for (i = 0; i < b->k; i++)
        sxx += weight(b, i) * (b->x[i] - xbar) * (b->x[i] - xbar);
    if (!(sxx > 0) || !isfinite(sw))
        return ma_error_set(err, MA_EUSAGE, "bubble plot: the moderator does not vary");
    /* Var(b0 + b1 x0) = s2 (1/sw + (x0 - xbar)^2 / Sxx) with Var(b1) = s2 / Sxx, s2 = 1
     * under z and t, the Knapp-Hartung factor under knha and adhoc: centring keeps it exact for
     * moderators far from 0 (years). */
    q = isnan(r->df) ? gsl_cdf_ugaussian_Qinv((1 - b->level) / 2)
                     : (r->df > 0 ? gsl_cdf_tdist_Qinv((1 - b->level) / 2, r->df) : NAN);
    for (i = 0; i < n; i++) {
        double mu = r->b[0] + r->b[1] * x0[i];
        double d = x0[i] - xbar;
        double s = r->se[1] * sqrt(sxx / sw + d * d);
        if (pred)
            pred[i] = mu;
        if (se)
            se[i] = s;
        if (ci_lb)
            ci_lb[i] = mu - q * s;
        if (ci_ub)
            ci_ub[i] = mu + q * s;
    }
    return MA_OK;
}

typedef struct {
    double x, y, r;
} bubble_t;

static int by_radius_desc(const void *a, const void *b)
{
    double ra = ((const bubble_t *)a)->r, rb = ((const bubble_t *)b)->r;
    return ra < rb ? 1 : ra > rb ? -1 : 0;
}

/* Decimals that show about three significant digits of x (at least 2). */
static int sig_decimals(double x)
{
    int d;
    if (!(fabs(x) > 0) || !isfinite(x))
        return 2;
    d = 2 - (int)floor(log10(fabs(x)));
    return d < 2 ? 2 : d > 8 ? 8 : d;
}

/* "Slope -0.0291 [-0.0432, -0.0150], p < 0.001; τ² = 0.0763, R² = 75.6%". */
static void stats_line(const ma_bubble_t *b, char *buf, size_t n)
{
    const ma_reg_t *r = b->fit;
    char sl[32], lb[32], ub[32], p[32], t2[32];
    int dec = sig_decimals(r->b[1]);
    size_t len;
    plot_fmt_num(sl, sizeof sl, r->b[1], dec);
    plot_fmt_num(lb, sizeof lb, r->ci_lb[1], dec);
    plot_fmt_num(ub, sizeof ub, r->ci_ub[1], dec);
    plot_fmt_p(p, sizeof p, r->pval[1]);
    len = (size_t)snprintf(buf, n, "Slope %s [%s, %s], %s", sl, lb, ub, p);
    if (len >= n || r->method_used == MA_METHOD_FE)
        return;
    plot_fmt_num(t2, sizeof t2, r->tau2, r->tau2 > 0 && r->tau2 < 0.1 ? 4 : 2);
    len += (size_t)snprintf(buf + len, n - len, "; \xcf\x84\xc2\xb2 = %s", t2);
    if (len < n && isfinite(r->R2))
        snprintf(buf + len, n - len, ", R\xc2\xb2 = %.1f%%", r->R2);
}

/* "Mixed-effects meta-regression (REML, z tests), k = 13". */
static void model_line(const ma_bubble_t *b, char *buf, size_t n)
{
    const ma_reg_t *r = b->fit;
    char test[64];
    int fe = r->method_used == MA_METHOD_FE;
    if (isnan(r->df))
        snprintf(test, sizeof test, "z tests");
    else
        snprintf(test, sizeof test, "%st tests, df = %.0f",
                 r->test == MA_TEST_T       ? ""
                 : r->test == MA_TEST_ADHOC ? "ad hoc Knapp-Hartung "
                                            : "Knapp-Hartung ",
                 r->df);
    snprintf(buf, n, "%s meta-regression (%s%s%s), k = %zu",
             fe ? "Common-effect" : "Mixed-effects", fe ? "" : ma_method_name(r->method_used),
             fe ? "" : ", ", test, r->k);
}

ma_status_t ma_bubble_script(const ma_bubble_t *b, const ma_bubble_opts_t *o,
                             ma_gp_script_t *s, ma_error_t *err)
{
    const double F = plot_font_floor(o->font_pt > 0 ? o->font_pt : 10);
    const double rmax_pt = 1.15 * F, rmin_pt = 0.22 * F, pad_pt = rmax_pt + 0.4 * F;
    const double f9 = plot_font_floor(0.9 * F), f8 = plot_font_floor(0.8 * F);
    double W = o->width_pt > 0 ? o->width_pt : 560, H, plot_h = 320, plot_w;
    double top = (o->title ? 2.8 : 1.2) * F, left = 6.8 * F, right = 1.6 * F;
    double below, excl_h; /* below: tics, axis label, the lines of text */
    char notes[3][512];
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    double xlo, xhi, ylo, yhi, ux, uy, wmax = 0;
    double gx[BAND_POINTS], gp[BAND_POINTS], gl[BAND_POINTS], gu[BAND_POINTS];
    size_t i;
    bubble_t *pts;
    ma_status_t st;

    if (b->k == 0)
        return ma_error_set(err, MA_EUSAGE, "bubble plot: no studies to draw");
    for (i = 0; i < b->k; i++) {
        if (!isfinite(b->x[i]) || !isfinite(b->yi[i]) || !(b->vi[i] > 0))
            return ma_error_set(err, MA_EUSAGE, "bubble plot: study %zu has no finite "
                                "moderator, effect and positive variance", i + 1);
        xmin = fmin(xmin, b->x[i]);
        xmax = fmax(xmax, b->x[i]);
        ymin = fmin(ymin, b->yi[i]);
        ymax = fmax(ymax, b->yi[i]);
    }
    if (!(xmax > xmin))
        return ma_error_set(err, MA_EUSAGE, "bubble plot: the moderator does not vary");
    for (i = 0; i < BAND_POINTS; i++)
        gx[i] = i + 1 == BAND_POINTS
                    ? xmax : xmin + (xmax - xmin) * (double)i / (BAND_POINTS - 1);
    if ((st = ma_bubble_predict(b, gx, BAND_POINTS, gp, NULL, gl, gu, err)) != MA_OK)
        return st;
    for (i = 0; i < BAND_POINTS; i++) {
        if (isfinite(gl[i]))
            ymin = fmin(ymin, gl[i]);
        if (isfinite(gu[i]))
            ymax = fmax(ymax, gu[i]);
    }
    if (!(ymax > ymin)) { /* every effect equal and no band: a unit range around it */
        ymin -= 0.5;
        ymax += 0.5;
    }

    /* the lines under the plot, wrapped at the width */
    stats_line(b, notes[0], sizeof notes[0]);
    model_line(b, notes[1], sizeof notes[1]);
    if (fabs(b->level * 100 - round(b->level * 100)) < 1e-9)
        snprintf(notes[2], sizeof notes[2], "Circle area proportional to the study's weight; "
                 "shaded: %.0f%% confidence band", b->level * 100);
    else
        snprintf(notes[2], sizeof notes[2], "Circle area proportional to the study's weight; "
                 "shaded: %g%% confidence band", b->level * 100);
    below = 6.7 * F;
    for (i = 0; i < 3; i++)
        below = plot_text_lines(NULL, notes[i], 0, below, W, 1, i ? f8 : f9, 0, W - 2 * F,
                                (i ? 1.2 : 1.35) * F, NULL);
    below += 0.15 * F;
    excl_h = plot_excluded(NULL, "Not in the model", b->excluded, b->nexcluded, 0, 0, W, 1,
                           f9, W - 2 * F, 1.35 * F);
    H = top + plot_h + below + (excl_h > 0 ? excl_h + 0.6 * F : 0) + 0.6 * F;
    if (o->height_pt > 0) {
        if (o->height_pt < H - plot_h + 8 * F)
            return ma_error_set(err, MA_EUSAGE, "bubble plot: height %.0f pt is too small",
                                o->height_pt);
        plot_h += o->height_pt - H;
        H = o->height_pt;
    }
    plot_w = W - left - right;
    if (plot_w < 2 * pad_pt + 10 * F) {
        char want[32], need[32];
        plot_fmt_length(want, sizeof want, W, o->unit);
        plot_fmt_length(need, sizeof need, left + right + 2 * pad_pt + 10 * F, o->unit);
        return ma_error_set(err, MA_EUSAGE, "bubble plot: width %s is too small at %g pt "
                            "(at least %s; or a smaller --font-size)", want, F, need);
    }
    /* Ranges: the data span the plot less room for the largest circle on each side. */
    ux = (xmax - xmin) / (plot_w - 2 * pad_pt); /* x units per point */
    uy = (ymax - ymin) / (plot_h - 2 * pad_pt);
    xlo = xmin - pad_pt * ux;
    xhi = xmax + pad_pt * ux;
    ylo = ymin - pad_pt * uy;
    yhi = ymax + pad_pt * uy;

    /* Circles: radius (x units; gnuplot keeps them round) proportional to sqrt(weight), so
     * that area is proportional to weight; the smallest kept visible at rmin_pt. */
    if (!(pts = malloc(b->k * sizeof *pts)))
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    for (i = 0; i < b->k; i++)
        wmax = fmax(wmax, weight(b, i));
    for (i = 0; i < b->k; i++) {
        pts[i].x = b->x[i];
        pts[i].y = b->yi[i];
        pts[i].r = fmax(rmin_pt, rmax_pt * sqrt(weight(b, i) / wmax)) * ux;
    }
    qsort(pts, b->k, sizeof *pts, by_radius_desc); /* small circles drawn over large */

    ma_gp_printf(s, "# Bubble plot: %zu studies; drawn by iastm\n", b->k);
    ma_gp_terminal(s, o->format, W, H, F, plot_png_scale(o->dpi));
    ma_gp_printf(s, "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
                    "set tmargin at screen %.6f\nset bmargin at screen %.6f\n",
                 left / W, (W - right) / W, 1 - top / H, 1 - (top + plot_h) / H);
    ma_gp_printf(s, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n", xlo, xhi, ylo,
                 yhi);
    /* x tics at least 5 em apart, so that narrow plots do not run their labels together */
    ma_gp_printf(s, "set xtics %.10g out nomirror\n",
                 plot_nice_step((xhi - xlo) / fmax(2, floor(plot_w / (5 * F)))));
    ma_gp_printf(s, "set ytics out nomirror\nset border 3 back\n"
                    "set format x '%%g'\nset format y '%%g'\nunset key\n");
    ma_gp_printf(s, "set xlabel ");
    ma_gp_quote(s, o->xlabel ? o->xlabel : "Moderator");
    ma_gp_printf(s, " offset 0,0.3 noenhanced\nset ylabel ");
    ma_gp_quote(s, o->ylabel ? o->ylabel : "Effect size");
    ma_gp_printf(s, " noenhanced\n");
    if (o->title) {
        ma_gp_printf(s, "set label ");
        ma_gp_quote(s, o->title);
        ma_gp_printf(s, " at screen %.6f, screen %.6f left noenhanced font '%s,%g'\n",
                     1.0 * F / W, 1 - 1.6 * F / H, MA_GP_FONT, F * 1.2);
    }
    if (isfinite(o->null_value) && o->null_value > ylo && o->null_value < yhi)
        ma_gp_printf(s, "set arrow from graph 0, first %.10g to graph 1, first %.10g nohead "
                        "lw 1 dt 3 lc rgb '#666666' back\n",
                     o->null_value, o->null_value);
    /* Under the axis: the slope and tau2, the model, what the marks mean. */
    {
        double y = top + plot_h + 6.7 * F;
        for (i = 0; i < 3; i++)
            y = plot_text_lines(s, notes[i], F, y, W, H, i ? f8 : f9, 0, W - 2 * F,
                                (i ? 1.2 : 1.35) * F, i ? " tc rgb '#4d4d4d'" : NULL);
    }
    /* Rows that could not be used. */
    plot_excluded(s, "Not in the model", b->excluded, b->nexcluded, F,
                  top + plot_h + below + 0.6 * F, W, H, f9, W - 2 * F, 1.35 * F);
    /* Datablocks hold numbers only. */
    ma_gp_printf(s, "$band << EOD\n");
    for (i = 0; i < BAND_POINTS; i++)
        ma_gp_printf(s, "%.10g %.10g %.10g %.10g\n", gx[i], gp[i], gl[i], gu[i]);
    ma_gp_printf(s, "EOD\n$studies << EOD\n");
    for (i = 0; i < b->k; i++)
        ma_gp_printf(s, "%.10g %.10g %.10g\n", pts[i].x, pts[i].y, pts[i].r);
    ma_gp_printf(s, "EOD\n");
    free(pts);
    ma_gp_printf(s, "plot $band using 1:3:4 with filledcurves fc rgb '#dcdcdc' fs solid 1.0 "
                    "noborder, \\\n"
                    "  $band using 1:3 with lines lw 0.8 dt 2 lc rgb '#6e6e6e', \\\n"
                    "  $band using 1:4 with lines lw 0.8 dt 2 lc rgb '#6e6e6e', \\\n"
                    "  $band using 1:2 with lines lw 1.6 lc rgb '#000000', \\\n"
                    "  $studies using 1:2:3 with circles fc rgb '#5b7fa6' "
                    "fs transparent solid 0.55 border lc rgb '#1f2f44' lw 0.8\n");
    if (s->failed)
        return ma_error_set(err, MA_ENOMEM, "out of memory while writing the gnuplot script");
    return MA_OK;
}
