/* libFuzzer target for the numerical path of `iastm pool` and `iastm bias` on fuzzed
 * effect sizes: ma_rma_fit (every tau2 estimator, z or Knapp-Hartung, Q-profile CI), then
 * ma_egger, ma_egger_rma, ma_begg, ma_trimfill and ma_fsn_rosenthal, as cmd_bias runs them. The input's
 * first two bytes choose the options; each further 4 bytes give one study: yi a 16-bit
 * integer scaled by 10^(-3..3), vi (1 + m/16) * 10^(-12..12), so values span what the
 * effect-size layer can hand on (finite yi, finite vi > 0). A hang (libFuzzer -timeout) is
 * a failure. Besides the sanitizers' findings it aborts when a fit reported as done has a
 * non-finite estimate or a CI that does not contain it. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "iastm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    return 0;
}

#define MAX_K 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    double yi[MAX_K], vi[MAX_K];
    size_t k = 0, i;
    ma_rma_opts_t o, ot;
    ma_rma_t fit;
    ma_egger_t eg;
    ma_egger_rma_t er;
    ma_begg_t bg;
    ma_trimfill_t tf;
    ma_fsn_t fs;
    ma_error_t err;

    if (size < 2)
        return 0;
    for (i = 2; i + 4 <= size && k < MAX_K; i += 4, k++) {
        int16_t y = (int16_t)(data[i] | data[i + 1] << 8);
        yi[k] = y * pow(10, (data[i + 2] >> 4) % 7 - 6);
        vi[k] = (1 + (data[i + 2] & 15) / 16.0) * pow(10, data[i + 3] % 25 - 12);
    }
    if (k == 0)
        return 0;
    ma_rma_opts_init(&o);
    o.method = (ma_method_t)(data[0] % 9);
    o.test = data[0] & 0x10 ? MA_TEST_KNHA : MA_TEST_Z;
    o.pi = data[0] & 0x20 ? MA_PI_HTS : MA_PI_DEFAULT;
    if (ma_rma_fit(yi, vi, k, &o, &fit, &err) == MA_OK &&
        (!isfinite(fit.estimate) || !(fit.ci_lb <= fit.estimate && fit.estimate <= fit.ci_ub)
         || !(fit.tau2 >= 0)))
        abort();
    (void)ma_egger(yi, vi, NULL, k, o.level, &eg, &err);
    (void)ma_egger_rma(yi, vi, NULL, k, &o, &er, &err);
    (void)ma_begg(yi, vi, k, &bg, &err);
    ot = o;
    ot.test = MA_TEST_Z; /* as cmd_bias: metafor's trimfill refits do not pass it on */
    ot.tau2_ci = 0;
    memset(&tf, 0, sizeof tf);
    (void)ma_trimfill(yi, vi, k, data[1] & 1 ? MA_TF_R0 : MA_TF_L0,
                      (ma_side_t)((data[1] >> 1) % 3), &ot, &tf, &err);
    ma_trimfill_clear(&tf);
    (void)ma_fsn_rosenthal(yi, vi, k, 0.05, &fs, &err);
    return 0;
}
