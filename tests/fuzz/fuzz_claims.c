/* libFuzzer target for the claims reader: CSV text -> ma_table_read_mem -> ma_claims_read
 * -> ma_claim_check against a small fixed trials table (every verdict path). Besides the
 * sanitizers' findings it aborts when an accepted claim holds a value outside the lists
 * ma_claims_read documents. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "iastm.h"
#include "iastm/evidence.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char TRIALS[] =
    "study_id,outcome,region,comparator_class,randomized,higher_is_better,primary,"
    "data_form,n_iastm,n_comp,mean_iastm,sd_iastm,mean_comp,sd_comp\n"
    "t1,pain,spine,control,yes,no,yes,final_sd,20,20,2.1,1.0,3.4,1.2\n"
    "t2,pain,other,sham,unclear,no,yes,final_sd,15,16,3.0,1.5,3.9,1.4\n"
    "t3,pain,spine,manual_mfr,no,no,yes,final_sd,30,30,2.0,1.1,2.2,1.0\n"
    "t4,pain,spine,sham,yes,no,yes,final_sd,12,12,4.0,2.0,4.5,2.1\n"
    "t5,pain,other,control,yes,no,yes,final_sd,25,24,3.1,1.3,3.9,1.2\n"
    "t6,function,spine,control,yes,yes,yes,final_sd,18,18,60,10,55,12\n"
    "t7,function,other,sham,yes,yes,yes,final_sd,22,20,70,9,68,11\n"
    "t8,rom,spine,manual_mfr,yes,yes,yes,final_sd,10,10,40,5,38,6\n";

static ma_table_t *trials_t;
static ma_dataset_t *trials;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    ma_dataset_opts_t o;
    ma_error_t err;
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    ma_dataset_opts_init(&o);
    if (ma_table_read_mem(TRIALS, sizeof TRIALS - 1, "trials.csv", &trials_t, &err) != MA_OK ||
        ma_dataset_build(trials_t, &o, &trials, &err) != MA_OK)
        abort();
    return 0;
}

static int one_of(const char *v, const char *const *list)
{
    size_t i;
    for (i = 0; list[i]; i++)
        if (!strcmp(v, list[i]))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const outcomes[] = {"pain", "function", "rom", NULL};
    static const char *const regions[] = {"spine", "other", "any", "spine_vs_other", NULL};
    static const char *const expected[] = {"favours_iastm", "no_difference", "spine_larger",
                                           NULL};
    ma_table_t *t = NULL;
    ma_claim_t *c = NULL;
    ma_rma_opts_t ro;
    ma_error_t err;
    char msg[1400];
    size_t n, i;

    if (ma_table_read_mem((const char *)data, size, "claims.csv", &t, &err) != MA_OK) {
        ma_error_format(&err, msg, sizeof msg);
        return 0;
    }
    if (ma_claims_read(t, &c, &n, &err) != MA_OK) {
        ma_error_format(&err, msg, sizeof msg);
        if (err.code == MA_EINPUT && err.line == 0 && err.column[0])
            abort(); /* a cell error without its line */
        ma_table_free(t);
        return 0;
    }
    ma_rma_opts_init(&ro);
    for (i = 0; i < n; i++) {
        ma_claim_result_t r;
        if (!c[i].id[0] || !c[i].claim[0] || !one_of(c[i].outcome, outcomes) ||
            !one_of(c[i].region, regions) || !one_of(c[i].expected, expected) ||
            c[i].line < 2)
            abort(); /* accepted what the reader documents as refused */
        if (i >= 8)
            continue; /* the verdicts of a few claims cover their paths */
        if (ma_claim_check(trials, &c[i], &ro, 0.5, &r, &err) != MA_OK)
            abort(); /* a claim the reader accepted must get a verdict */
        ma_claim_result_clear(&r);
    }
    free(c);
    ma_table_free(t);
    return 0;
}
