/* Contour-enhanced funnel plot (Peters et al. 2008, J Clin Epidemiol 61:991): effect
 * against standard error over the regions where a study would reach p < 0.10, 0.05, 0.01;
 * trim-and-fill studies hollow. Shading as metafor's funnel(level = c(90, 95, 99)). */
#include "iastm/plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_internal.h"

void ma_funnel_opts_init(ma_funnel_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->format = MA_PLOT_PNG;
    o->xlabel = "Effect size";
}

/* Two-sided normal quantiles for p = 0.10, 0.05, 0.01 (qnorm(1 - p/2) in R). */
static const double ZQ[3] = {1.6448536269514722, 1.959963984540054, 2.5758293035489004};
static const char *const SHADE[3] = {"#8c8c8c", "#bfbfbf", "#d3d3d3"}; /* gray55, 75, 90 */

/* The triangle of |y - c| < z * se below se = sb, clipped to [xmin, xmax]. */
static void triangle(ma_gp_script_t *s, double c, double z, double sb, double xmin, double xmax,
                     const char *colour)
{
    double xl = c - z * sb, xr = c + z * sb;
    ma_gp_printf(s, "set object polygon from first %.10g, first 0", c);
    if (xr > xmax)
        ma_gp_printf(s, " to first %.10g, first %.10g to first %.10g, first %.10g", xmax,
                     (xmax - c) / z, xmax, sb);
    else
        ma_gp_printf(s, " to first %.10g, first %.10g", xr, sb);
    if (xl < xmin)
        ma_gp_printf(s, " to first %.10g, first %.10g to first %.10g, first %.10g", xmin, sb,
                     xmin, (c - xmin) / z);
    else
        ma_gp_printf(s, " to first %.10g, first %.10g", xl, sb);
    ma_gp_printf(s, " to first %.10g, first 0 fc rgb '%s' fs solid 1.0 noborder back\n", c,
                 colour);
}

ma_status_t ma_funnel_script(const ma_funnel_t *f, const ma_funnel_opts_t *o,
                             ma_gp_script_t *s, ma_error_t *err)
{
    const double c = o->null_value;
    double F = plot_font_floor(o->font_pt > 0 ? o->font_pt : 10);
    double W = o->width_pt > 0 ? o->width_pt : 620, H, plot_h;
    double semax = 0, lo, hi, sb, step, key_w, key_h = 0, top, bottom, left, excl_h;
    size_t i;
    int i3, key_below = 0;
    char fs[64];

    /* A narrow width moves the key under the plot, then shrinks the font (to 6 pt). */
    for (;;) {
        key_w = plot_text_width("Filled (trim-and-fill)", 0.9 * F, 0) + 5 * F;
        left = 7.0 * F;
        if (W >= left + key_w + 12 * F)
            break;
        if (W >= left + 13 * F) {
            key_below = 1;
            key_w = 1.0 * F; /* right margin */
            key_h = (double)(5 + (f->k0 > 0)) * 1.25 * plot_font_floor(0.9 * F) + 1.2 * F;
            break;
        }
        if (F <= PLOT_MIN_FONT) {
            char want[32], need[32];
            plot_fmt_length(want, sizeof want, W, o->unit);
            plot_fmt_length(need, sizeof need, 20 * PLOT_MIN_FONT, o->unit);
            return ma_error_set(err, MA_EUSAGE, "funnel plot: width %s is too small even "
                                "with 6 pt text (at least %s)", want, need);
        }
        F = fmax(PLOT_MIN_FONT, F - 0.5);
    }
    plot_h = 380 - 6 * F;
    top = (o->title ? 2.6 : 1.0) * F;
    bottom = 5.4 * F + key_h;
    ma_gp_font(fs, sizeof fs, plot_font_floor(0.9 * F), 0);

    if (f->k == 0)
        return ma_error_set(err, MA_EUSAGE, "funnel plot: no studies to draw");
    for (i = 0; i < f->k; i++)
        if (isfinite(f->sei[i]) && f->sei[i] > semax)
            semax = f->sei[i];
    for (i = 0; i < f->k0; i++)
        if (isfinite(f->fill_sei[i]) && f->fill_sei[i] > semax)
            semax = f->fill_sei[i];
    if (!(semax > 0))
        return ma_error_set(err, MA_EUSAGE, "funnel plot: standard errors must be positive");
    step = plot_nice_step(semax / 4);
    sb = ceil(semax * 1.05 / step - 1e-9) * step;
    lo = c - ZQ[2] * sb;
    hi = c + ZQ[2] * sb;
    for (i = 0; i < f->k; i++) {
        if (f->yi[i] < lo)
            lo = f->yi[i];
        if (f->yi[i] > hi)
            hi = f->yi[i];
    }
    for (i = 0; i < f->k0; i++) {
        if (f->fill_yi[i] < lo)
            lo = f->fill_yi[i];
        if (f->fill_yi[i] > hi)
            hi = f->fill_yi[i];
    }
    lo -= 0.04 * (hi - lo);
    hi += 0.04 * (hi - lo);
    excl_h = plot_excluded(NULL, "Not pooled", f->excluded, f->nexcluded, 0, 0, W, 1,
                           plot_font_floor(0.9 * F), W - 2 * F, 1.35 * F);
    H = top + plot_h + bottom + (excl_h > 0 ? excl_h + 0.8 * F : 0) + 1.0 * F;
    if (o->height_pt > 0) {
        if (o->height_pt < H - plot_h + 8 * F) {
            char want[32], need[32];
            plot_fmt_length(want, sizeof want, o->height_pt, o->unit);
            plot_fmt_length(need, sizeof need, H - plot_h + 8 * F, o->unit);
            return ma_error_set(err, MA_EUSAGE, "funnel plot: height %s is too small (at "
                                "least %s)", want, need);
        }
        plot_h += o->height_pt - H;
        H = o->height_pt;
    }

    ma_gp_printf(s, "# Funnel plot: %zu studies, %zu filled; drawn by iastm\n", f->k, f->k0);
    ma_gp_terminal(s, o->format, W, H, F, plot_png_scale(o->dpi));
    ma_gp_printf(s, "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
                    "set tmargin at screen %.6f\nset bmargin at screen %.6f\n",
                 left / W, (W - key_w) / W, 1 - top / H, 1 - (top + plot_h) / H);
    ma_gp_printf(s, "set xrange [%.10g:%.10g]\nset yrange [%.10g:0]\n", lo, hi, sb);
    /* x tics at least 4.5 em apart, so that narrow plots do not run their labels together */
    ma_gp_printf(s, "set xtics %.10g out nomirror\n",
                 plot_nice_step((hi - lo) / fmax(2, floor((W - key_w - left) / (4.5 * F)))));
    ma_gp_printf(s, "set ytics 0,%.10g,%.10g out nomirror\n"
                    "set border 3 back\nset format x '%%g'\nset format y '%%g'\n",
                 step, sb * (1 + 1e-6));
    if (key_below) /* under the axis label */
        ma_gp_printf(s, "set key at screen %.6f, screen %.6f left top vertical "
                        "Left reverse samplen 1.5 spacing 1.2 noenhanced%s\n",
                     1.0 * F / W, 1 - (top + plot_h + bottom - key_h + 0.4 * F) / H, fs);
    else
        ma_gp_printf(s, "set key at screen %.6f, screen %.6f left top vertical Left reverse "
                        "samplen 1.5 spacing 1.2 noenhanced%s\n",
                     (W - key_w + 1.2 * F) / W, 1 - top / H, fs);
    ma_gp_printf(s, "set ylabel 'Standard error'\n");
    ma_gp_printf(s, "set xlabel ");
    ma_gp_quote(s, o->xlabel ? o->xlabel : "Effect size");
    ma_gp_printf(s, " noenhanced\n");
    if (o->title) {
        ma_gp_printf(s, "set label ");
        ma_gp_quote(s, o->title);
        char tf[64];
        ma_gp_font(tf, sizeof tf, 1.2 * F, 0);
        ma_gp_printf(s, " at screen %.6f, screen %.6f left noenhanced%s\n", 1.0 * F / W,
                     1 - 1.5 * F / H, tf);
    }
    /* Regions, outermost first: beyond 99% (p < 0.01) is the background. */
    ma_gp_printf(s, "set object rectangle from graph 0, graph 0 to graph 1, graph 1 "
                    "fc rgb '%s' fs solid 1.0 noborder behind\n", SHADE[2]);
    for (i3 = 2; i3 >= 0; i3--)
        triangle(s, c, ZQ[i3], sb, lo, hi, i3 == 0 ? "#ffffff" : SHADE[i3 - 1]);
    /* Pooled estimate with its pseudo 95% limits, and the estimate after filling. */
    if (isfinite(f->estimate)) {
        ma_gp_printf(s, "set arrow from first %.10g, first 0 to first %.10g, first %.10g "
                        "nohead lw 1 lc rgb '#000000' front\n", f->estimate, f->estimate, sb);
        int side;
        for (side = -1; side <= 1; side += 2) {
            /* pseudo limit estimate +- 1.96 se, cut where it leaves the x range */
            double xe = f->estimate + side * ZQ[1] * sb, se = sb;
            if (xe < lo || xe > hi) {
                xe = side < 0 ? lo : hi;
                se = fabs(xe - f->estimate) / ZQ[1];
            }
            ma_gp_printf(s, "set arrow from first %.10g, first 0 to first %.10g, first %.10g "
                            "nohead lw 1 dt 2 lc rgb '#404040' front\n",
                         f->estimate, xe, se);
        }
    }
    if (isfinite(f->fill_estimate))
        ma_gp_printf(s, "set arrow from first %.10g, first 0 to first %.10g, first %.10g "
                        "nohead lw 1 dt 3 lc rgb '#b2182b' front\n",
                     f->fill_estimate, f->fill_estimate, sb);
    /* Rows that could not be used. */
    plot_excluded(s, "Not pooled", f->excluded, f->nexcluded, F, top + plot_h + bottom + 0.8 * F,
                  W, H, plot_font_floor(0.9 * F), W - 2 * F, 1.35 * F);
    ma_gp_printf(s, "$studies << EOD\n");
    for (i = 0; i < f->k; i++)
        if (isfinite(f->yi[i]) && isfinite(f->sei[i]))
            ma_gp_printf(s, "%.10g %.10g\n", f->yi[i], f->sei[i]);
    ma_gp_printf(s, "EOD\n");
    if (f->k0) {
        ma_gp_printf(s, "$filled << EOD\n");
        for (i = 0; i < f->k0; i++)
            ma_gp_printf(s, "%.10g %.10g\n", f->fill_yi[i], f->fill_sei[i]);
        ma_gp_printf(s, "EOD\n");
    }
    ma_gp_printf(s, "plot keyentry with boxes fc rgb '#ffffff' fs solid 1.0 border lc rgb "
                    "'#808080' title 'p > 0.10', \\\n"
                    "  keyentry with boxes fc rgb '%s' fs solid 1.0 noborder "
                    "title '0.05 < p < 0.10', \\\n"
                    "  keyentry with boxes fc rgb '%s' fs solid 1.0 noborder "
                    "title '0.01 < p < 0.05', \\\n"
                    "  keyentry with boxes fc rgb '%s' fs solid 1.0 noborder "
                    "title 'p < 0.01', \\\n"
                    "  $studies using 1:2 with points pt 7 ps 1.3 lc rgb '#000000' "
                    "title 'Studies'",
                 SHADE[0], SHADE[1], SHADE[2]);
    if (f->k0)
        ma_gp_printf(s, ", \\\n  $filled using 1:2 with points pt 6 ps 1.3 lc rgb '#000000' "
                        "title 'Filled (trim-and-fill)'");
    ma_gp_printf(s, "\n");
    if (s->failed)
        return ma_error_set(err, MA_ENOMEM, "out of memory while writing the gnuplot script");
    return MA_OK;
}
