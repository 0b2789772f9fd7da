/* Plots as gnuplot scripts: forest (studies, subgroups, leave-one-out, cumulative),
 * contour-enhanced funnel, meta-regression bubble plot. The functions only lay out numbers
 * already computed by the models; every text from data files goes through ma_gp_quote. */
#ifndef IASTM_PLOT_H
#define IASTM_PLOT_H

#include <stddef.h>
#include "dataset.h"
#include "error.h"
#include "gnuplot.h"
#include "rma.h"
#include "regress.h"
#include "gosh.h"

/* A row that could not be used, listed under the plot with its reason. */
typedef struct {
    const char *label;  /* study label (data text) */
    long line;          /* source line, 0 when unknown */
    const char *reason; /* data text */
} ma_plot_excluded_t;

/* One row of a forest plot. */
typedef struct {
    const char *label;           /* study label (data text) */
    const char *extra;           /* design / risk-of-bias cell (data text), NULL: none */
    const char *comparator;      /* comparator cell (data text), NULL: none */
    double yi, ci_lb, ci_ub;     /* effect and its confidence interval */
    double weight;               /* percent, NaN when not shown (squares then equal) */
    double n1, m1, sd1;          /* IASTM arm: NaN when not reported */
    double n2, m2, sd2;          /* comparator arm */
} ma_forest_row_t;

/* The row of study s (an index into d->s) of a forest plot: label, the column extra_col
 * (NULL: none), yi with its CI yi -+ z sqrt(vi) (z: the normal quantile of the level),
 * weight NaN (the caller's model sets it), group sizes, and means and SDs when the row
 * reports them (final_sd, change_sd). */
void ma_forest_study_row(const ma_dataset_t *d, size_t s, const char *extra_col, double z,
                         ma_forest_row_t *r);

/* A subgroup: rows [first, first + count) of the row array. */
typedef struct {
    const char *name;            /* subgroup value (data text) */
    size_t first, count;
    const ma_rma_t *fit;         /* the subgroup's fit (NULL: no diamond) */
    double weight;               /* percent of the overall model, NaN when not shown */
} ma_forest_group_t;

typedef struct {
    const ma_forest_row_t *rows;
    size_t nrows;
    const ma_forest_group_t *groups; /* NULL: no subgroups */
    size_t ngroups;
    const ma_rma_t *overall;         /* NULL: no summary diamond */
    const char *overall_label;       /* e.g. "Random-effects model (REML)" */
    double Q_between, Q_between_df, Q_between_p; /* test for subgroup differences */
    const ma_plot_excluded_t *excluded;
    size_t nexcluded;
    /* Bayesian forest (all NULL: none): per row the posterior of the study's own effect
     * (shrinkage), drawn as a second marker under the observed one and in a second
     * estimate column headed post_header; the overall row then shows the posterior of mu
     * and the prediction row the effect of a new study, labelled pi_label. */
    const double *post_mean, *post_lb, *post_ub;
    const char *post_header;       /* e.g. "Posterior [95% CrI]" */
    const char *pi_label;          /* NULL: "Prediction interval" */
    /* Lines under the overall row instead of the heterogeneity and test lines (NULL:
     * those lines). */
    const char *const *overall_text;
    size_t n_overall_text;
    const char *overall_note;        /* NULL, or a text line under the overall diamond */
} ma_forest_t;

typedef struct {
    ma_plot_format_t format;
    const char *title;          /* NULL: none (user text: quoted like data) */
    const char *label_header;   /* "Study" */
    const char *extra_header;   /* header of the extra column */
    const char *comp_header;    /* header of the comparator column (NULL: no column) */
    const char *arm_labels[2];  /* headers over the two arms' n and mean (SD) (NULL:
                                   "Treatment", "Control") */
    int transf_exp;             /* 1: effects are log ratios: numbers as exp(x), the
                                   axis on the log scale labelled in ratios (metafor's
                                   transf = exp, atransf = exp) */
    const char *est_header;     /* right column, e.g. "Hedges' g [95% CI]" */
    const char *xlabel;         /* axis label naming the measure */
    const char *favours_left, *favours_right; /* under the axis; NULL: none */
    double xlim_lo, xlim_hi;    /* NaN: from the data */
    /* Size. A width reflows the table so that no text is below 6 pt: the font shrinks
     * from font_pt (at most to 6 pt), the per-arm columns, then the weights, then the
     * extra column are left out, long labels are cut with "..." and text lines wrap; a
     * width too small even then is refused. Without a width: 7 in (504 pt) when the
     * whole table fits there at 8 pt or more (font_pt 0) or at font_pt, else the width
     * the table needs at font_pt. A height too small for the rows shrinks the font too. */
    double width_pt, height_pt; /* 0: from the layout */
    double font_pt;             /* 0: 10 (and 7 in wide when the table fits at >= 8 pt) */
    double dpi;                 /* PNG pixels per inch, 0: 144 */
    const char *unit;           /* unit of the sizes in messages: "in", "cm", "mm", NULL pt */
    double null_value;          /* reference line (0 for differences) */
    int show_heterogeneity;     /* 1: tau2, I2, Q lines under the diamonds */
} ma_forest_opts_t;

void ma_forest_opts_init(ma_forest_opts_t *o);

/* Append the whole forest plot (terminal, layout, data, plot command; no `set output`)
 * to `s`. MA_EUSAGE for an empty plot or a bad x range. */
ma_status_t ma_forest_script(const ma_forest_t *f, const ma_forest_opts_t *o,
                             ma_gp_script_t *s, ma_error_t *err);

/* Contour-enhanced funnel plot (Peters et al. 2008): effect against its standard error,
 * shaded where a study would be significant at p < 0.10, 0.05, 0.01 (two-sided z). */
typedef struct {
    const double *yi, *sei;      /* k observed studies */
    size_t k;
    const double *fill_yi, *fill_sei; /* k0 trim-and-fill studies, drawn hollow */
    size_t k0;
    double estimate;             /* pooled estimate (vertical line), NaN: none */
    double fill_estimate;        /* estimate after trim-and-fill, NaN: none */
    const ma_plot_excluded_t *excluded;
    size_t nexcluded;
} ma_funnel_t;

typedef struct {
    ma_plot_format_t format;
    const char *title, *xlabel;
    double width_pt, height_pt;  /* 0: 460 x 380 + excluded rows */
    double font_pt;              /* 0: 10; smaller (to 6 pt) when the width needs it */
    double dpi;                  /* PNG pixels per inch, 0: 144 */
    const char *unit;            /* unit of the sizes in messages (NULL: pt) */
    double null_value;           /* centre of the significance contours */
} ma_funnel_opts_t;

void ma_funnel_opts_init(ma_funnel_opts_t *o);
ma_status_t ma_funnel_script(const ma_funnel_t *f, const ma_funnel_opts_t *o,
                             ma_gp_script_t *s, ma_error_t *err);

/* Bubble plot of a meta-regression on one continuous moderator (as metafor's regplot):
 * each study at (x, yi) as a circle whose area is proportional to its weight
 * 1/(vi + tau2) in the fitted model, the fitted line and its confidence band. */
typedef struct {
    const double *x, *yi, *vi;   /* k studies in the model */
    size_t k;
    const ma_reg_t *fit;         /* ma_regress_fit of yi, vi on X = [1, x] (p = 2) */
    double level;                /* of the band, e.g. 0.95 (the slope's CI is the fit's) */
    const ma_plot_excluded_t *excluded;
    size_t nexcluded;
} ma_bubble_t;

typedef struct {
    ma_plot_format_t format;
    const char *title, *xlabel, *ylabel;
    double width_pt, height_pt;  /* 0: 560 x 444 (+ title, excluded rows) */
    double font_pt;              /* 0: 10; smaller (to 6 pt) when the width needs it */
    double dpi;                  /* PNG pixels per inch, 0: 144 */
    const char *unit;            /* unit of the sizes in messages (NULL: pt) */
    double null_value;           /* dotted reference line (NaN: none) */
} ma_bubble_opts_t;

void ma_bubble_opts_init(ma_bubble_opts_t *o);

/* Predicted mean at the moderator values x0[0..n) with its standard error and confidence
 * limits, as metafor's predict(fit, newmods = x0): pred +- q * se with q the normal or,
 * under knha, the t(k - 2) quantile. Any output array may be NULL. MA_EUSAGE when the fit
 * is not a one-moderator model of b->x. */
ma_status_t ma_bubble_predict(const ma_bubble_t *b, const double *x0, size_t n, double *pred,
                              double *se, double *ci_lb, double *ci_ub, ma_error_t *err);
ma_status_t ma_bubble_script(const ma_bubble_t *b, const ma_bubble_opts_t *o,
                             ma_gp_script_t *s, ma_error_t *err);

/* GOSH plot (as metafor's plot.gosh): the estimate of every subset against its I2, with
 * the histograms of both at the sides. With the pairs of the grid (few subsets) a scatter
 * of translucent points; else the grid's counts as a density (log colour scale), so that
 * millions of subsets cost one grid. */
typedef struct {
    const ma_gosh_grid_t *grid;  /* filled by ma_gosh */
    const char *method;          /* e.g. "REML": named on the plot */
    size_t k;
    uint64_t subsets;
    int exact;                   /* 1: all 2^k - 1 subsets */
} ma_gosh_plot_t;

typedef struct {
    ma_plot_format_t format;
    const char *title, *xlabel;  /* NULL title: "GOSH plot"; xlabel: "Estimate" */
    double width_pt, height_pt;  /* 0: 460 x 440 */
    double font_pt;              /* 0: 10 */
    double dpi;                  /* PNG pixels per inch, 0: 144 */
} ma_gosh_plot_opts_t;

void ma_gosh_plot_opts_init(ma_gosh_plot_opts_t *o);
/* MA_EUSAGE when the grid holds no subset. */
ma_status_t ma_gosh_plot_script(const ma_gosh_plot_t *g, const ma_gosh_plot_opts_t *o,
                                ma_gp_script_t *s, ma_error_t *err);

#endif
