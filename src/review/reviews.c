/* Published reviews' pooled estimates: strict reading and orientation. */
#include "iastm/reviews.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/fields_internal.h"
#include "iastm/dataset.h"

/* A count as printed: empty, or a whole number >= 1. */
static ma_status_t read_count(const ma_table_t *t, size_t r, const char *col, ma_error_t *err)
{
    double x;
    ma_status_t st;
    if (ma_table_col(t, col) < 0)
        return MA_OK;
    if ((st = ma_fields_num(t, r, col, 0, &x, err)) != MA_OK || isnan(x))
        return st;
    if (x != floor(x) || x < 1)
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], col,
                           ma_table_cell(t, r, ma_table_col(t, col)),
                           "a count must be a whole number of at least 1:");
    return MA_OK;
}

static ma_status_t read_review(const ma_table_t *t, size_t i, ma_review_t *x, ma_error_t *err)
{
    static const char *const regions[] = {"spine", "other", "mixed", NULL};
    const char *outcomes_list, *conv;
    const char *const *outcomes = ma_schema_values("outcome", &outcomes_list);
    ma_status_t st;

    x->line = t->line[i];
    x->k = ma_table_cell(t, i, ma_table_col(t, "k"));
    if ((st = ma_fields_text(t, i, "review_id", &x->id, err)) != MA_OK ||
        (st = ma_fields_choice(t, i, "region", regions, NULL, "spine, other or mixed",
                               &x->region, err)) != MA_OK ||
        (st = ma_fields_choice(t, i, "outcome", outcomes, NULL, outcomes_list, &x->outcome,
                               err)) != MA_OK ||
        (st = ma_fields_text(t, i, "measure", &x->measure, err)) != MA_OK ||
        (st = read_count(t, i, "k", err)) != MA_OK || (st = read_count(t, i, "n", err)) != MA_OK ||
        (st = ma_fields_num(t, i, "estimate", 1, &x->estimate, err)) != MA_OK ||
        (st = ma_fields_num(t, i, "ci_lb", 1, &x->ci_lb, err)) != MA_OK ||
        (st = ma_fields_num(t, i, "ci_ub", 1, &x->ci_ub, err)) != MA_OK ||
        (st = ma_fields_text(t, i, "sign_convention", &conv, err)) != MA_OK)
        return st;
    if (x->ci_lb > x->ci_ub)
        return ma_error_at(err, MA_EINPUT, t->path, x->line, "ci_lb",
                           ma_table_cell(t, i, ma_table_col(t, "ci_lb")),
                           "confidence interval lower bound above the upper bound:");
    if (x->estimate < x->ci_lb || x->estimate > x->ci_ub)
        return ma_error_at(err, MA_EINPUT, t->path, x->line, "estimate",
                           ma_table_cell(t, i, ma_table_col(t, "estimate")),
                           "estimate outside its confidence interval:");
    if (strncmp(conv, "positive favours ", 17) == 0 && conv[17] != '\0')
        x->sign = 1;
    else if (strncmp(conv, "negative favours ", 17) == 0 && conv[17] != '\0')
        x->sign = -1;
    else
        return ma_error_at(err, MA_EINPUT, t->path, x->line, "sign_convention", conv,
                           "expected 'positive favours ...' or 'negative favours ...' "
                           "(what the review's pooled value favours):");
    return MA_OK;
}

ma_status_t ma_reviews_read(const ma_table_t *t, ma_review_t **out, size_t *n,
                            ma_error_t *err)
{
    static const char *const need[] = {"review_id", "region", "outcome", "measure", "k",
                                       "estimate", "ci_lb", "ci_ub", "sign_convention",
                                       NULL};
    ma_review_t *rv;
    ma_status_t st;
    size_t i;

    *out = NULL;
    *n = 0;
    ma_error_clear(err);
    if ((st = ma_fields_require(t, need, "a published-reviews file", err)) != MA_OK)
        return st;
    if (!(rv = calloc(t->nrow ? t->nrow : 1, sizeof *rv)))
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    for (i = 0; i < t->nrow; i++)
        if ((st = read_review(t, i, &rv[i], err)) != MA_OK)
            goto fail;
    if ((st = ma_fields_unique(t, "review_id", err)) != MA_OK)
        goto fail;
    *out = rv;
    *n = t->nrow;
    return MA_OK;
fail:
    free(rv);
    return st;
}

void ma_review_oriented(const ma_review_t *r, double *est, double *lb, double *ub)
{
    if (r->sign < 0) {
        *est = -r->estimate;
        *lb = -r->ci_ub;
        *ub = -r->ci_lb;
    } else {
        *est = r->estimate;
        *lb = r->ci_lb;
        *ub = r->ci_ub;
    }
}
