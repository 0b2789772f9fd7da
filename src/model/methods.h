/* Private to the model code: the table of tau2 methods (methods.c). Each row names a
 * method and gives its estimator for the intercept-only model (tau2.c) and for
 * meta-regression (regress.c); adding a method is one row here plus those functions. */
#ifndef IASTM_METHODS_H
#define IASTM_METHODS_H

#include "iastm/rma.h"
#include "wls.h"

typedef struct reg_ws reg_ws_t; /* the meta-regression workspace (regress.c) */

/* tau2 by method m on prepared data (k >= 2): MA_ENUMERIC on non-convergence. *reset is set
 * to 1 when the log-likelihood at tau2 = 0 was higher (metafor's ll0check), *damped when
 * Fisher scoring shortened its step to climb. The caller truncates at 0 and checks that
 * the result is finite. */
typedef ma_status_t (*ma_tau2_uni_fn)(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                                      double *tau2, int *iterations, int *reset, int *damped);
typedef ma_status_t (*ma_tau2_reg_fn)(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o,
                                      double *tau2, int *iterations, int *reset);

typedef struct {
    ma_method_info_t info;
    ma_tau2_uni_fn uni; /* intercept only */
    ma_tau2_reg_fn reg; /* with moderators; NULL: meta-regression refuses the method */
} ma_method_def_t;

/* The row of method m, or NULL when m is no method. */
const ma_method_def_t *ma_method_def(ma_method_t m);

/* The estimators of the table (tau2.c: intercept only; regress.c: with moderators). */
ma_status_t ma_tau2_uni_fe(const ma_wls_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *, int *);
ma_status_t ma_tau2_uni_dl(const ma_wls_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *, int *);
ma_status_t ma_tau2_uni_hs(const ma_wls_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *, int *);
ma_status_t ma_tau2_uni_he(const ma_wls_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *, int *);
ma_status_t ma_tau2_uni_sj(const ma_wls_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *, int *);
ma_status_t ma_tau2_uni_pm(const ma_wls_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *, int *);
ma_status_t ma_tau2_uni_lik(const ma_wls_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *, int *);
ma_status_t ma_tau2_reg_fe(reg_ws_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *);
ma_status_t ma_tau2_reg_dl(reg_ws_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *);
ma_status_t ma_tau2_reg_hs(reg_ws_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *);
ma_status_t ma_tau2_reg_he(reg_ws_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *);
ma_status_t ma_tau2_reg_sj(reg_ws_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *);
ma_status_t ma_tau2_reg_pm(reg_ws_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *);
ma_status_t ma_tau2_reg_lik(reg_ws_t *, ma_method_t, const ma_rma_opts_t *, double *, int *, int *);

#endif
