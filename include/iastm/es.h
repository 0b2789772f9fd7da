/* Effect sizes (SMD as Hedges' g, MD) from every data form a trial report may use.
 * Sign convention: arm 1 is IASTM, arm 2 the comparator, and a positive effect favours
 * IASTM once `higher_is_better` has oriented the row. */
#ifndef IASTM_ES_H
#define IASTM_ES_H

#include <stddef.h>

typedef enum { MA_MEASURE_SMD = 0, MA_MEASURE_MD } ma_measure_t;

/* Sampling variance of g, as metafor's escalc(vtype=): LS (default), UB, LS2, AV. */
typedef enum { MA_VTYPE_LS = 0, MA_VTYPE_UB, MA_VTYPE_LS2, MA_VTYPE_AV } ma_vtype_t;

typedef struct {
    ma_measure_t measure;
    ma_vtype_t vtype;
    int revman5; /* 1: J = 1 - 3/(4N-9), v = N/(n1 n2) + g^2/(2(N-3.94)) (RevMan 5) */
} ma_es_opts_t;

/* How a row reports its result. */
typedef enum {
    MA_FORM_NONE = 0,   /* unknown / not given */
    MA_FORM_YI_VI,      /* yi with vi (or sei) given directly */
    MA_FORM_FINAL_SD,   /* post-treatment mean and SD per arm */
    MA_FORM_CHANGE_SD,  /* change from baseline mean and SD per arm */
    MA_FORM_FINAL_SE,   /* mean and SE per arm: SD = SE * sqrt(n) */
    MA_FORM_MD_CI,      /* between-group mean difference with 95% CI */
    MA_FORM_MD_SE,      /* between-group mean difference with its SE */
    MA_FORM_ES_REPORTED,/* an effect size as printed, of kind es_kind; sign as for T_STAT */
    MA_FORM_T_STAT,     /* independent-samples t statistic (sign by `direction` if t >= 0
                           and direction given; else the sign of t as oriented, which must
                           then agree with a stated direction) */
    MA_FORM_P_EXACT,    /* exact two-sided p with `direction` (the sign; no orientation) */
    MA_FORM_MEDIAN_IQR, /* median, q1, q3 per arm */
    MA_FORM_MEDIAN_RANGE,/* median, min, max per arm */
    MA_FORM_FIVENUM,    /* min, q1, median, q3, max per arm */
    MA_FORM_NARRATIVE   /* only a sentence: never computable */
} ma_form_t;

/* What an es_reported value is (the trial schema's es_kind column). Only kinds with a
 * documented conversion to the SMD scale are computed; the others are recognised so that
 * a row can say what it holds, and are never pooled. */
typedef enum {
    MA_ES_KIND_NONE = 0, /* not stated: read as Cohen's d (metafor's `di`) */
    MA_ES_KIND_D,        /* Cohen's d (pooled SD): g = J d, as escalc(measure = "SMD", di) */
    MA_ES_KIND_G,        /* Hedges' g, already corrected: kept as is, never corrected again;
                            the variance is that of d = g / J */
    MA_ES_KIND_LOG_OR,   /* log odds ratio with its 95% CI: d = ln(OR) sqrt(3) / pi,
                            var(d) = var(ln OR) 3 / pi^2 (Chinn 2000), var(ln OR) from the CI */
    MA_ES_KIND_OR,       /* odds ratio with its 95% CI: as LOG_OR on the logs */
    MA_ES_KIND_DZ,       /* within-subject d: no conversion (needs the correlation) */
    MA_ES_KIND_R         /* correlation: no conversion without a stated design */
} ma_es_kind_t;

/* Direction of a reported between-group result. */
typedef enum {
    MA_DIR_UNKNOWN = 0,
    MA_DIR_FAVOURS_IASTM,
    MA_DIR_FAVOURS_COMP,
    MA_DIR_NO_DIFFERENCE
} ma_direction_t;

/* One row's numbers. Every double is NaN when missing. Arm 1 = IASTM, arm 2 = comparator. */
typedef struct {
    ma_form_t form;
    int higher_is_better;  /* 1 yes, 0 no (flip the sign), -1 unknown (treated as yes) */
    ma_direction_t direction;
    double n1, n2;
    double m1, sd1, m2, sd2;      /* final_sd, change_sd */
    double se1, se2;              /* final_se (means in m1, m2) */
    double md, md_lb, md_ub, md_se; /* md_ci, md_se: md as printed (arm 1 - arm 2) */
    double es;                    /* es_reported as printed, of kind es_kind */
    ma_es_kind_t es_kind;
    double es_lb, es_ub;          /* 95% CI of es_reported on its printed scale (OR kinds) */
    double t;                     /* t_stat */
    double p;                     /* p_exact */
    double min1, q1_1, med1, q3_1, max1; /* medians: arm 1 */
    double min2, q1_2, med2, q3_2, max2; /* medians: arm 2 */
    double yi, vi;                /* yi_vi (vi may come from sei^2) */
} ma_es_input_t;

/* Set every double to NaN, es_kind to NONE, form to NONE, direction unknown, higher_is_better -1. */
void ma_es_input_init(ma_es_input_t *in);

typedef struct {
    int ok;             /* 1: yi and vi are set; 0: not computable, see `reason` */
    double yi, vi;
    const char *method; /* static string naming how it was computed, e.g.
                           "final_sd: Hedges g (exact J), vtype LS"; NULL when !ok */
    char reason[160];   /* why not computable (when !ok), e.g. "n_iastm missing" */
} ma_es_result_t;

/* Compute the effect size of one row. Never fails hard: a row that lacks what its form
 * needs, or has invalid values (n < 2, SD <= 0, p outside (0,1), ...), returns ok = 0
 * with a reason. `opts` NULL means SMD, vtype LS. With vtype AV a single row is its own
 * mean effect (as escalc with one study); use ma_es_compute_all for a set of rows. */
void ma_es_compute(const ma_es_input_t *in, const ma_es_opts_t *opts, ma_es_result_t *out);

/* Compute k rows into out[0..k-1]. Same as ma_es_compute per row, except that for SMD with
 * vtype AV the variances use the (n1 + n2)-weighted mean of the computed g of these rows
 * (oriented; yi_vi rows and es_reported odds ratios, whose variance is given, neither
 * count nor change). Pass exactly the rows pooled together. */
void ma_es_compute_all(const ma_es_input_t *in, size_t k, const ma_es_opts_t *opts,
                       ma_es_result_t *out);

/* Hedges' exact small-sample correction J(m) = exp(lgamma(m/2) - log(sqrt(m/2))
 * - lgamma((m-1)/2)), m = n1 + n2 - 2. */
double ma_hedges_j(double m);

/* Wald confidence interval of one effect size, yi -+ z sqrt(vi) (z = qnorm(1 - (1 -
 * level) / 2)), as the per-row intervals of metafor's forest() and summary(escalc()). */
void ma_es_ci(double yi, double vi, double z, double *lb, double *ub);
/* The same at 95%: z = qnorm(0.975). */
void ma_es_ci95(double yi, double vi, double *lb, double *ub);

/* Names for forms and directions as used in the data files ("final_sd", "favours_iastm").
 * Parsing returns -1 when the name is unknown. */
int ma_form_parse(const char *s);
const char *ma_form_name(ma_form_t f);
/* 1 when the form reports a signed scale difference and so needs higher_is_better. */
int ma_form_oriented(ma_form_t f);
int ma_direction_parse(const char *s); /* "" -> MA_DIR_UNKNOWN */

/* es_kind names: d (also "Cohen d", "Cohen's d"), g ("Hedges g", "Hedges' g"), log_or
 * ("log OR"), or ("OR"), dz ("Cohen dz", "Cohen's dz"), r; exact spelling, optionally
 * followed by a note in parentheses ("Cohen dz (crossover)"). "" -> MA_ES_KIND_NONE;
 * -1 when unknown. */
int ma_es_kind_parse(const char *s);
const char *ma_es_kind_name(ma_es_kind_t k); /* canonical name: "d", "log_or", ... */
/* 1 when es_reported of this kind has a documented conversion to the SMD scale. */
int ma_es_kind_convertible(ma_es_kind_t k);

#endif
