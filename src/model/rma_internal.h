/* Private to the pooling code: notes, weight checks and inference at a given tau2 (rma.c),
 * shared by the fit, subgroups, meta-regression, bias tests and GOSH. */
#ifndef IASTM_RMA_INTERNAL_H
#define IASTM_RMA_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include "iastm/rma.h"
#include "scoring.h"
#include "wls.h"

/* o, or the defaults (ma_rma_opts_init) filled into *def when o is NULL. */
const ma_rma_opts_t *ma_rma_opts_or_default(const ma_rma_opts_t *o, ma_rma_opts_t *def);

/* Append to a note buffer of `size` bytes, "; " between notes, cut at the buffer's end. */
void ma_note_append(char *note, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Append to the note of a fit (any struct with a `char note[N]` member). */
#define MA_NOTE(fit, ...) ma_note_append((fit)->note, sizeof (fit)->note, __VA_ARGS__)

/* The note of a fallback from m, which stopped after `it` iterations (of maxiter), to
 * next: "did not converge" when the iterations ran out, else "without a finite solution". */
void ma_fallback_note(char *note, size_t size, ma_method_t m, int it, int maxiter,
                      ma_method_t next);

/* MA_EINPUT naming study i (1-based in the message) and its value when its effect size is
 * not finite or its sampling variance not positive and finite; MA_OK otherwise. */
ma_status_t ma_check_study(const double *yi, const double *vi, size_t i, ma_error_t *err);

/* One tau2 estimator by method m on the data ctx (ma_tau2_fit's arguments). */
typedef ma_status_t (*ma_tau2_fn)(void *ctx, ma_method_t m, const ma_rma_opts_t *o,
                                  double *tau2, int *iterations, int *reset);

/* tau2 by o->method, falling back along the method table (with its note) while a fit
 * fails numerically: *converged = 0 after a fallback, *used the method that gave tau2, the
 * note of a reset at tau2 = 0. Returns MA_OK, MA_ENUMERIC when the last method failed too,
 * or the first other error of a fit. *iterations: those of the last fit. */
ma_status_t ma_tau2_fallback(ma_tau2_fn fit, void *ctx, const ma_rma_opts_t *o, double *tau2,
                             int *iterations, int *converged, ma_method_t *used, char *note,
                             size_t size);

/* MA_ENUMERIC naming the study (1-based) whose weight 1/vi overflows, or the smallest vi
 * when the sum of the weights does; MA_OK when all are finite. */
ma_status_t ma_check_weights(const double *vi, size_t k, ma_error_t *err);

/* The Knapp-Hartung factor of the variance of the estimates (rma.c), shared by the
 * intercept-only fit, subgroups and meta-regression: RSS/df for knha (0 when RSS <= machine
 * epsilon, as metafor, with a note appended to note[size]), the same but never below 1 for
 * adhoc, 1 for z and t. */
double ma_knha_scale(ma_test_t test, double rss, double df, char *note, size_t size);

/* Inference at a given tau2 from the sums s at that tau2 (k >= 2): estimate, se, stat,
 * df, pval, CI by o->test, and the prediction interval (when o->method is not FE) with
 * the test's SE and critical value, or t with k-2 df under --pi hts (as metafor's
 * predict()). r->test is set; notes are added to r->note. */
void ma_rma_inference(const ma_wsums_t *s, size_t k, double tau2, const ma_rma_opts_t *o,
                      ma_rma_t *r);

#endif
