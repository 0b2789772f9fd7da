/* iastm permutest: permutation tests of the pooled effect or of moderators (metafor
 * permutest). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "iastm/model_matrix.h"
#include "iastm/permutest.h"
#include "resample.h"

enum { OPT_MODS = OPT_CMD_BASE, OPT_EXACT, OPT_ITER };
#define MAX_MODS 16

static const char HELP[] =
    "Usage: iastm permutest [OPTIONS] FILE.csv\n"
    "Permutation test, as R metafor's permutest(): without moderators the signs of the\n"
    "effect sizes are flipped (2^k permutations); with --mods the moderator rows are\n"
    "permuted against the effect sizes. The test is exact (every distinct permutation)\n"
    "when that needs at most --iter permutations or with --exact; otherwise --iter random\n"
    "permutations, the observed data counting as the first. p = share of permutations\n"
    "with |z| (or |t|) >= the observed one (tolerance sqrt(machine epsilon), as metafor).\n"
    "\n%s%s"
    "Permutation options:\n"
    "  --mods COL[,COL...]  moderators (continuous, or categorical as dummy variables)\n"
    "  --iter N             random permutations (default 1000, at least 2)\n"
    "  --exact              exact test whatever the number of permutations\n"
    "%s"
    "\nExamples:\n"
    "  iastm permutest data/examples/bcg.csv\n"
    "  iastm permutest --exact --method DL --format json data/examples/bcg.csv\n"
    "  iastm permutest --mods ablat --iter 10000 --seed 42 data/examples/bcg.csv\n";

static const char *term_name(const ma_design_t *x, size_t j)
{
    return x ? x->term[j] : "intrcpt";
}

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_design_t *x, const ma_permutest_opts_t *o,
                       const ma_permutest_t *r)
{
    char a[32], b[32], t1[32], t2[32], t3[32];
    size_t j;
    int knha = r->test != MA_TEST_Z; /* t and F reference distributions */
    fprintf(f, "Permutation test (%s; %s; %s test; k = %zu; %s)\n",
            x ? "meta-regression" : "pooled effect", ma_method_name(r->method_used),
            r->test == MA_TEST_KNHA    ? "Knapp-Hartung t"
            : r->test == MA_TEST_T     ? "t"
            : r->test == MA_TEST_ADHOC ? "ad hoc Knapp-Hartung t"
                                       : "z",
            r->k, cli_measure_name(c, d));
    if (r->exact)
        fprintf(f, "Exact test: all %llu distinct permutations", (unsigned long long)r->iter);
    else
        fprintf(f, "Approximate test: %llu permutations (the observed data and %llu random "
                   "ones, seed %llu; the exact test needs %.6g)",
                (unsigned long long)r->iter, (unsigned long long)(r->iter - 1),
                (unsigned long long)o->seed, r->exact_iter);
    fprintf(f, ", %u thread%s.\n", r->threads, r->threads == 1 ? "" : "s");
    if (r->failed)
        fprintf(f, "%llu permuted data sets could not be fitted%s.\n",
                (unsigned long long)r->failed, r->exact ? " and are left out" :
                                                          " and were drawn again");
    fprintf(f, "\ntau^2 = %s\n", cli_num(r->tau2, a, 32));
    if (x)
        fprintf(f, "Test of moderators: %s = %s (df = %g), p = %s, permutation p = %s\n",
                knha ? "F" : "QM", cli_num(r->QM, t1, 32), r->QM_df,
                cli_pval(r->QM_pval_model, a, 32), cli_pval(r->QM_pval, b, 32));
    fprintf(f, "\n%-16s %10s %10s %10s %10s %12s\n", "", "estimate", "se", knha ? "tval" : "zval",
            "pval", "perm. pval");
    for (j = 0; j < r->p; j++)
        fprintf(f, "%-16.16s %10s %10s %10s %10s %12s\n", term_name(x, j), cli_num(r->b[j], t1, 32),
                cli_num(r->se[j], t2, 32), cli_num(r->stat[j], t3, 32),
                cli_pval(r->pval_model[j], a, 32), cli_pval(r->pval[j], b, 32));
    cli_excluded_text(f, d);
    cli_design_missing_text(f, d, x, "Left out for a missing moderator");
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                          const ma_design_t *x, const ma_permutest_opts_t *o,
                          const ma_permutest_t *r)
{
    size_t j;
    ma_writer_section(w, "permutest");
    ma_writer_begin(w);
    ma_writer_str(w, "measure", cli_measure_name(c, d));
    ma_writer_str(w, "method", ma_method_name(r->method_used));
    ma_writer_str(w, "test", ma_test_name(r->test));
    ma_writer_int(w, "k", (long)r->k);
    ma_writer_bool(w, "exact", r->exact);
    ma_writer_num(w, "exact_iter", r->exact_iter);
    ma_writer_num(w, "iter", (double)r->iter);
    cli_seed_field(w, r->exact, o->seed);
    ma_writer_num(w, "failed", (double)r->failed);
    ma_writer_num(w, "tau2", r->tau2);
    ma_writer_num(w, "QM", r->QM);
    ma_writer_num(w, "QM_df", r->QM_df);
    ma_writer_num(w, "QM_p", r->QM_pval_model);
    ma_writer_num(w, "QM_perm_p", r->QM_pval);
    ma_writer_int(w, "threads", (long)r->threads);
    ma_writer_end(w);
    ma_writer_section(w, "coefficients");
    for (j = 0; j < r->p; j++) {
        ma_writer_begin(w);
        ma_writer_str(w, "term", term_name(x, j));
        ma_writer_num(w, "estimate", r->b[j]);
        ma_writer_num(w, "se", r->se[j]);
        ma_writer_num(w, "stat", r->stat[j]);
        ma_writer_num(w, "pval", r->pval_model[j]);
        ma_writer_num(w, "perm_pval", r->pval[j]);
        ma_writer_end(w);
    }
    cli_excluded_records(w, d);
    if (x && x->nmissing) {
        ma_writer_section(w, "missing_moderator");
        for (j = 0; j < x->nmissing; j++) {
            const ma_study_t *s = &d->s[d->idx[x->missing[j]]];
            ma_writer_begin(w);
            ma_writer_str(w, "study", s->label);
            ma_writer_int(w, "line", s->line);
            ma_writer_str(w, "reason", x->reason[j]);
            ma_writer_end(w);
        }
    }
}

typedef struct {
    ma_permutest_opts_t o;
    cli_mods_t mods;
    ma_design_t *x;
    double *yi, *vi; /* the rows of the model (with --mods), else the dataset's */
    ma_permutest_t r;
} permutest_t;

static void init(cli_ctx_t *x)
{
    ma_permutest_opts_init(&((permutest_t *)x->self)->o);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    permutest_t *p = x->self;
    switch (opt) {
    case OPT_MODS:
        return cli_mods_parse(&p->mods, "permutest", arg, MAX_MODS);
    case OPT_EXACT:
        p->o.exact = 1;
        return 1;
    case OPT_ITER:
        return cli_parse_count("permutest", "--iter", arg, 2, UINT64_MAX, &p->o.iter) < 0 ? -1
                                                                                          : 1;
    default:
        return cli_resample_opt(&p->o.run, &p->o.seed, opt, arg, "permutest");
    }
}

static int loaded(cli_ctx_t *x)
{
    return cli_need_mods(x, &((permutest_t *)x->self)->mods);
}

static void text(cli_ctx_t *x, FILE *f)
{
    permutest_t *p = x->self;
    write_text(f, &x->c, x->d, p->x, &p->o, &p->r);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    permutest_t *p = x->self;
    write_records(w, &x->c, x->d, p->x, &p->o, &p->r);
}

static int run(cli_ctx_t *x)
{
    permutest_t *p = x->self;
    const ma_design_t *m;
    ma_error_t err;
    int rc;
    p->o.rma = x->rma;
    p->o.rma.tau2_ci = 0;
    if (p->mods.n &&
        (rc = cli_model_matrix(x, p->mods.names, p->mods.n, &p->x, &p->yi, &p->vi)) != 0)
        return rc;
    m = p->x;
    cli_resample_start(&p->o.run);
    if (ma_permutest(m ? p->yi : x->d->yi, m ? p->vi : x->d->vi, m ? m->k : x->d->k,
                     m ? m->X : NULL, m ? m->p : 0, &p->o, &p->r, &err) != MA_OK)
        return err.code == MA_EINTR ? cli_interrupted("permutest") : cli_report(&err);
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    permutest_t *p = x->self;
    ma_permutest_clear(&p->r);
    cli_mods_free(&p->mods);
    free(p->yi);
    free(p->vi);
    ma_design_free(p->x);
}

static const struct option OPTIONS[] = {
    CLI_RESAMPLE_LONGOPTS,
    {"mods", required_argument, NULL, OPT_MODS},
    {"exact", no_argument, NULL, OPT_EXACT},
    {"iter", required_argument, NULL, OPT_ITER},
    CLI_OPT_END};

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "permutest: k iter QM QM_df QM_p QM_perm_p",
    "coefficients: term estimate se pval perm_pval",
    NULL};

const cli_cmd_t CLI_CMD_PERMUTEST = {
    .table = "coefficients", .md_columns = MD_COLUMNS,
    .name = "permutest", .summary = "permutation tests for the pooled effect and moderators",
    .help = HELP, .help_parts = {CLI_COMMON_HELP, CLI_RMA_HELP, CLI_RESAMPLE_HELP},
    .groups = CLI_GROUP_RMA, .options = OPTIONS, .self_size = sizeof(permutest_t), .min_k = 2,
    .k_style = CLI_K_GOT, .k_needs = "a permutation test needs", .init = init,
    .option = option, .loaded = loaded, .run = run, .clear = clear,
};
