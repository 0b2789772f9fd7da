/* The tau2 methods: one row each, read by the fits (estimator and fallback), by name
 * parsing and printing, by the option checks and by the command line's help. */
#include "methods.h"

/* Fallback on non-convergence as documented: REML, ML, EB -> PM -> DL. */
static const ma_method_def_t METHODS[] = {
    [MA_METHOD_FE] = {{"FE", MA_METHOD_KIND_COMMON, -1}, ma_tau2_uni_fe, ma_tau2_reg_fe},
    [MA_METHOD_DL] = {{"DL", MA_METHOD_KIND_MOMENT, -1}, ma_tau2_uni_dl, ma_tau2_reg_dl},
    [MA_METHOD_REML] = {{"REML", MA_METHOD_KIND_LIKELIHOOD, MA_METHOD_PM}, ma_tau2_uni_lik,
                        ma_tau2_reg_lik},
    [MA_METHOD_ML] = {{"ML", MA_METHOD_KIND_LIKELIHOOD, MA_METHOD_PM}, ma_tau2_uni_lik,
                      ma_tau2_reg_lik},
    [MA_METHOD_PM] = {{"PM", MA_METHOD_KIND_ROOT, MA_METHOD_DL}, ma_tau2_uni_pm, ma_tau2_reg_pm},
    [MA_METHOD_HS] = {{"HS", MA_METHOD_KIND_MOMENT, MA_METHOD_PM}, ma_tau2_uni_hs, ma_tau2_reg_hs},
    [MA_METHOD_SJ] = {{"SJ", MA_METHOD_KIND_MOMENT, MA_METHOD_PM}, ma_tau2_uni_sj, ma_tau2_reg_sj},
    [MA_METHOD_HE] = {{"HE", MA_METHOD_KIND_MOMENT, MA_METHOD_PM}, ma_tau2_uni_he, ma_tau2_reg_he},
    [MA_METHOD_EB] = {{"EB", MA_METHOD_KIND_LIKELIHOOD, MA_METHOD_PM}, ma_tau2_uni_lik,
                      ma_tau2_reg_lik},
};
#define NMETHODS (sizeof METHODS / sizeof METHODS[0])

const ma_method_def_t *ma_method_def(ma_method_t m)
{
    return (unsigned)m < NMETHODS ? &METHODS[m] : NULL;
}

size_t ma_method_count(void)
{
    return NMETHODS;
}

const ma_method_info_t *ma_method_info(ma_method_t m)
{
    const ma_method_def_t *d = ma_method_def(m);
    return d ? &d->info : NULL;
}

const char *ma_method_name(ma_method_t m)
{
    const ma_method_info_t *i = ma_method_info(m);
    return i ? i->name : "?";
}
