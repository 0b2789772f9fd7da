/* Data audit: checks of reported trial numbers that no meta-analysis tool runs.
 *
 * Per row and arm: an SD that may be an SE, a mean impossible for integer-valued scores
 * (GRIM, Brown & Heathers 2016) or an SD impossible for them (GRIMMER, Anaya 2016), a
 * reported p-value inconsistent with the means, SDs and group sizes, and values the scale
 * cannot take. The scale of a row comes from the trial schema's columns `scale_min`,
 * `scale_max` and `scale_step` (individual scores are multiples of the step; empty when
 * continuous or not known). Every rounding check works on the numbers as printed: a mean
 * printed "1.60" stands for any value in [1.595, 1.605]. */
#ifndef IASTM_AUDIT_H
#define IASTM_AUDIT_H

#include <stddef.h>
#include "dataset.h"
#include "error.h"

typedef enum {
    MA_AUDIT_SD_SE = 0, /* an SD implausibly small: perhaps an SE */
    MA_AUDIT_GRIM,      /* mean impossible for integer-valued scores with this n */
    MA_AUDIT_GRIMMER,   /* SD impossible for integer-valued scores with this n and mean */
    MA_AUDIT_P,         /* reported p inconsistent with means, SDs and n */
    MA_AUDIT_RANGE,     /* a mean or SD the scale cannot produce */
    MA_AUDIT_NCHECKS
} ma_audit_check_t;

typedef enum {
    MA_AUDIT_PASS = 0,  /* checked, consistent */
    MA_AUDIT_FLAG,      /* checked, inconsistent: see the reason */
    MA_AUDIT_NA         /* not checkable for this row (the reason says why) */
} ma_audit_result_t;

/* Thresholds of the SD/SE rule (documented in data/README.md). */
#define MA_AUDIT_MAX_SMD 2.5       /* an implied |SMD| above this is suspect */
#define MA_AUDIT_MIN_SD_RANGE 0.05 /* an SD below 5% of the scale range is suspect */

/* One check of one row (arm 0: the row as a whole; 1 IASTM; 2 comparator). */
typedef struct {
    size_t study;              /* index into the dataset's rows (d->s) */
    ma_audit_check_t check;
    ma_audit_result_t result;
    int arm;
    char reason[240];
} ma_audit_item_t;

typedef struct {
    ma_audit_item_t *items;    /* n items, by row then check (owned) */
    size_t n;
    size_t nflags;             /* items with result FLAG */
    size_t nrows_flagged;      /* rows with at least one FLAG */
} ma_audit_t;

/* Audit every row of the dataset (all rows that passed the filters, pooled or not).
 * A malformed scale_min / scale_max / scale_step cell, or min >= max, or a step that is
 * not positive, is an MA_EINPUT error naming file, line and column. *out is owned by the
 * caller (ma_audit_free). */
ma_status_t ma_audit_run(const ma_dataset_t *d, ma_audit_t **out, ma_error_t *err);
void ma_audit_free(ma_audit_t *a); /* accepts NULL */

/* "sd_se", "grim", "grimmer", "p", "range". */
const char *ma_audit_check_name(ma_audit_check_t c);
/* "pass", "flag", "not_checkable". */
const char *ma_audit_result_name(ma_audit_result_t r);

/* Digits after the decimal point of a number as printed ("1.60" -> 2, "15" -> 0);
 * -1 for text that is not a plain decimal (exponent, empty). */
int ma_decimals(const char *text);

/* GRIM: can n integer-valued scores in steps of `step` have a mean that rounds to `mean`
 * printed with `dec` decimals? 1 yes, 0 no, -1 not testable (the possible means are
 * closer together than the rounding interval, so every printed mean is possible). */
int ma_grim(double mean, int dec, double n, double step);

/* GRIMMER: can such scores have this mean and a sample SD (n - 1 denominator) that rounds
 * to `sd` printed with `sd_dec` decimals? 1 yes, 0 no, -1 not testable (mean not testable
 * by GRIM, or n above 10^6). Uses that the sum of squares of integers is an integer of
 * the same parity as their sum. */
int ma_grimmer(double mean, int dec, double sd, int sd_dec, double n, double step);

/* Range of the two-sided p of the two-sample t test (pooled variance, n1 + n2 - 2 df)
 * over every value the printed means and SDs stand for (each within half a unit of its
 * last printed digit). Returns 0, or -1 when the inputs cannot give a t test. */
int ma_audit_p_range(double m1, int m1_dec, double sd1, int sd1_dec, double n1, double m2,
                     int m2_dec, double sd2, int sd2_dec, double n2, double *p_min,
                     double *p_max);

#endif
