/* GOSH plot (Olkin, Dahabreh and Trikalinos 2012; as metafor's plot.gosh): estimate
 * against I2 for every subset, histograms of both at the sides. Few subsets: points;
 * many: the density of a grid binned while the subsets were fitted. */
#include "iastm/plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_internal.h"

#define MARGIN_BINS 50 /* bars of each side histogram at most */

void ma_gosh_plot_opts_init(ma_gosh_plot_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->format = MA_PLOT_PNG;
}

/* Bars of a side histogram: the grid's counts along one axis summed in groups of `per`
 * bins, as "centre height" lines (height: share of the subsets). */
static void side_hist(ma_gp_script_t *s, const ma_gosh_grid_t *g, int along_x, double lo,
                      double hi, uint64_t total, double *maxshare)
{
    size_t n = along_x ? g->nx : g->ny, per = (n + MARGIN_BINS - 1) / MARGIN_BINS, b, j, i;
    double bw = (hi - lo) / (double)n;
    *maxshare = 0;
    for (b = 0; b < n; b += per) {
        uint64_t c = 0;
        size_t end = b + per < n ? b + per : n;
        double share;
        for (j = b; j < end; j++)
            for (i = 0; i < (along_x ? g->ny : g->nx); i++)
                c += along_x ? g->count[i * g->nx + j] : g->count[j * g->nx + i];
        share = (double)c / (double)total;
        if (share > *maxshare)
            *maxshare = share;
        ma_gp_printf(s, "%.10g %.10g %.10g\n", lo + ((double)b + (double)(end - b) / 2) * bw,
                     share, (double)(end - b) * bw);
    }
}

ma_status_t ma_gosh_plot_script(const ma_gosh_plot_t *p, const ma_gosh_plot_opts_t *o,
                                ma_gp_script_t *s, ma_error_t *err)
{
    const ma_gosh_grid_t *g = p->grid;
    const double F = o->font_pt > 0 ? o->font_pt : 10;
    double W = o->width_pt > 0 ? o->width_pt : 460, H = o->height_pt > 0 ? o->height_pt : 440;
    double left = 7.0 * F, right = 1.2 * F, bottom = 5.6 * F, top = 3.8 * F, side = 0.22;
    double xl, xr, yb, yt, xs, ys, mx = 0, my = 0, pad;
    uint64_t total = 0, maxc = 0;
    size_t b, ix, iy;
    char sub[256], fnt[64];

    if (!g || !g->count)
        return ma_error_set(err, MA_EUSAGE, "GOSH plot: no grid");
    for (b = 0; b < g->nx * g->ny; b++) {
        total += g->count[b];
        if (g->count[b] > maxc)
            maxc = g->count[b];
    }
    if (total == 0)
        return ma_error_set(err, MA_EUSAGE, "GOSH plot: no subset to draw");
    if (W < 20 * F || H < 20 * F)
        return ma_error_set(err, MA_EUSAGE, "GOSH plot: %.0f x %.0f pt is too small (at "
                            "least %.0f x %.0f pt)", W, H, 20 * F, 20 * F);

    /* panels in screen fractions: main bottom left, histograms above and to the right */
    xl = left / W;
    xs = 1 - right / W;                   /* right end of the side histogram */
    xr = xl + (xs - xl) * (1 - side);     /* right end of the main panel */
    yb = bottom / H;
    ys = 1 - top / H;                     /* top of the upper histogram */
    yt = yb + (ys - yb) * (1 - side);     /* top of the main panel */
    pad = 0.6 * F / W;

    ma_gp_printf(s, "# GOSH plot: %llu subsets (%s); drawn by iastm\n",
                 (unsigned long long)total, g->np ? "points" : "density grid");
    ma_gp_terminal(s, o->format, W, H, F, plot_png_scale(o->dpi));
    ma_gp_printf(s, "unset key\nset style fill solid 1.0 noborder\n");
    ma_gp_font(fnt, sizeof fnt, F * 1.15, 1);
    ma_gp_printf(s, "set label 1 ");
    ma_gp_quote(s, o->title ? o->title : "GOSH plot");
    ma_gp_printf(s, " at screen %.6f, screen %.6f left noenhanced%s\n", xl,
                 1 - 1.4 * F / H, fnt);
    snprintf(sub, sizeof sub, "%s, k = %zu: %s %llu subsets", p->method ? p->method : "",
             p->k, p->exact ? "all" : "random", (unsigned long long)p->subsets);
    ma_gp_font(fnt, sizeof fnt, plot_font_floor(F * 0.85), 0);
    ma_gp_printf(s, "set label 2 ");
    ma_gp_quote(s, sub);
    ma_gp_printf(s, " at screen %.6f, screen %.6f left noenhanced%s\n", xl,
                 1 - 2.8 * F / H, fnt);

    /* data blocks */
    ma_gp_printf(s, "$xhist << EOD\n");
    side_hist(s, g, 1, g->x_lo, g->x_hi, total, &mx);
    ma_gp_printf(s, "EOD\n$yhist << EOD\n");
    side_hist(s, g, 0, 0, 100, total, &my);
    ma_gp_printf(s, "EOD\n");
    if (g->np) {
        ma_gp_printf(s, "$pts << EOD\n");
        for (b = 0; b < g->np; b++)
            ma_gp_printf(s, "%.10g %.10g\n", g->px[b], g->py[b]);
        ma_gp_printf(s, "EOD\n");
    } else {
        /* one line per bin centre, blank line between rows (gnuplot's grid format); empty
         * bins NaN, so that they stay white */
        double bx = (g->x_hi - g->x_lo) / (double)g->nx, by = 100.0 / (double)g->ny;
        ma_gp_printf(s, "$grid << EOD\n");
        for (iy = 0; iy < g->ny; iy++) {
            for (ix = 0; ix < g->nx; ix++) {
                uint64_t c = g->count[iy * g->nx + ix];
                if (c)
                    ma_gp_printf(s, "%.10g %.10g %llu\n", g->x_lo + ((double)ix + 0.5) * bx,
                                 ((double)iy + 0.5) * by, (unsigned long long)c);
                else
                    ma_gp_printf(s, "%.10g %.10g NaN\n", g->x_lo + ((double)ix + 0.5) * bx,
                                 ((double)iy + 0.5) * by);
            }
            ma_gp_printf(s, "\n");
        }
        ma_gp_printf(s, "EOD\n");
    }

    ma_gp_printf(s, "set multiplot\n");
    /* main panel */
    ma_gp_printf(s, "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
                    "set bmargin at screen %.6f\nset tmargin at screen %.6f\n",
                 xl, xr, yb, yt);
    ma_gp_printf(s, "set xrange [%.10g:%.10g]\nset yrange [0:100]\n", g->x_lo, g->x_hi);
    ma_gp_printf(s, "set border 3 lw 1\nset xtics out nomirror scale 0.6,0\n"
                    "set ytics 0,20,100 out nomirror scale 0.6,0\nset format x '%%g'\n");
    ma_gp_printf(s, "set xlabel ");
    ma_gp_quote(s, o->xlabel ? o->xlabel : "Estimate");
    ma_gp_printf(s, " offset 0,0.4 noenhanced\nset ylabel 'I\xc2\xb2 (%%)' offset 0.6,0 "
                    "noenhanced\n");
    if (g->np) {
        ma_gp_printf(s, "plot $pts using 1:2 with points pt 7 ps %.3g lc rgb '#902b5d8a' "
                        "notitle\n", g->np > 5000 ? 0.25 : g->np > 500 ? 0.4 : 0.6);
    } else {
        ma_gp_printf(s, "set logscale cb\nset cbrange [1:%llu]\nunset colorbox\n"
                        "set palette defined (0 '#dce6f0', 1 '#6f97bf', 2 '#2b5d8a', "
                        "3 '#0b2540')\n", (unsigned long long)(maxc > 1 ? maxc : 2));
        ma_gp_printf(s, "plot $grid using 1:2:3 with image notitle\n");
        ma_gp_printf(s, "unset logscale cb\n");
    }
    ma_gp_printf(s, "unset label 1\nunset label 2\nunset xlabel\nunset ylabel\n");
    /* upper histogram: the estimate */
    ma_gp_printf(s, "set bmargin at screen %.6f\nset tmargin at screen %.6f\n",
                 yt + pad * W / H, ys);
    ma_gp_printf(s, "set yrange [0:%.10g]\nunset ytics\nset format x ''\nset border 1 lw 1\n",
                 mx * 1.05);
    ma_gp_printf(s, "plot $xhist using 1:2:3 with boxes fc rgb '#6f97bf' notitle\n");
    /* side histogram: I2 */
    ma_gp_printf(s, "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
                    "set bmargin at screen %.6f\nset tmargin at screen %.6f\n",
                 xr + pad, xs, yb, yt);
    ma_gp_printf(s, "set xrange [0:%.10g]\nset yrange [0:100]\nunset xtics\nset ytics 0,20,100 "
                    "format '' out nomirror scale 0.6,0\nset border 2 lw 1\n", my * 1.05);
    ma_gp_printf(s, "plot $yhist using (0):1:(0):2:($1-$3/2):($1+$3/2) with boxxyerror "
                    "fc rgb '#6f97bf' notitle\n");
    ma_gp_printf(s, "unset multiplot\n");
    if (s->failed)
        return ma_error_set(err, MA_ENOMEM, "out of memory while writing the gnuplot script");
    return MA_OK;
}
