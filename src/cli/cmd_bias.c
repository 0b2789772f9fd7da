/* iastm bias: small-study effects and publication bias (metafor regtest, ranktest,
 * trimfill, fsn). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "command.h"

enum { OPT_ESTIMATOR = OPT_CMD_BASE, OPT_SIDE, OPT_ALPHA, OPT_EGGER, OPT_PREDICTOR };

static const char HELP[] =
    "Usage: iastm bias [OPTIONS] FILE.csv\n"
    "Small-study effects and publication bias, as R metafor:\n"
    "  Egger's regression test    regtest(predictor=\"sei\"): yi regressed on their standard\n"
    "                             errors; the slope is the bias, the intercept the limit\n"
    "                             estimate (effect of an infinitely large study). Default\n"
    "                             model=\"rma\" (metafor's): the meta-regression with\n"
    "                             --method and --test; --egger lm: weighted least squares\n"
    "                             (weights 1/vi, t test with k-2 df)\n"
    "  Begg and Mazumdar          ranktest(): Kendall's tau between standardized effects and\n"
    "                             variances (exact p-value without ties)\n"
    "  trim-and-fill              trimfill(): estimated number of missing studies, the\n"
    "                             filled (mirrored) studies and the adjusted estimate\n"
    "  fail-safe N                fsn(type=\"Rosenthal\")\n"
    "With fewer than 10 studies these tests have little power (the output says so).\n"
    "Rows that cannot be pooled are listed with their reason.\n"
    "\n%s%s"
    "Bias options:\n"
    "  --egger rma|lm       Egger's test as regtest(model=\"rma\") (default) or \"lm\"\n"
    "  --egger-predictor P  regtest's predictor: sei (default), vi, ni, ninv, sqrtni or\n"
    "                       sqrtninv (ni = n1 + n2; the limit estimate with sei, vi, ninv,\n"
    "                       sqrtninv only)\n"
    "  --estimator L0|R0    trim-and-fill estimator of the missing studies (default L0)\n"
    "  --side auto|left|right  side of the funnel plot where studies are missing\n"
    "                       (default auto: from the sign of the slope of yi on their\n"
    "                       standard errors in a meta-regression, as metafor)\n"
    "  --alpha A            target one-sided significance for the fail-safe N (default 0.05)\n"
    "Trim-and-fill refits use --method with z tests, as metafor's trimfill().\n"
    "\nExamples:\n"
    "  iastm bias data/examples/bcg.csv\n"
    "  iastm bias --estimator R0 --side left --format json data/examples/bcg.csv\n"
    "  iastm bias --egger lm data/examples/bcg.csv\n";

typedef struct {
    ma_tf_estimator_t est;
    ma_side_t side;
    double alpha;
    ma_egger_model_t egger;
    ma_egger_pred_t pred;
    /* results; *_st != MA_OK: not computed, the reason in *_err */
    ma_rma_t fit;
    ma_status_t fit_st, eg_st, bg_st, tf_st, fs_st;
    ma_error_t fit_err, eg_err, bg_err, tf_err, fs_err;
    ma_egger_t eg;         /* --egger lm */
    ma_egger_rma_t er;     /* --egger rma */
    ma_begg_t bg;
    ma_trimfill_t tf;
    ma_fsn_t fs;
} bias_t;

/* Egger's test with the chosen model and predictor (ni = n1 + n2 of each study). */
static ma_status_t egger(const ma_dataset_t *d, const ma_rma_opts_t *o, bias_t *b)
{
    double *x = NULL, *ni = NULL;
    ma_status_t st = MA_OK;
    size_t j;
    if (b->pred != MA_EGGER_SEI) {
        x = malloc(d->k * sizeof *x);
        ni = malloc(d->k * sizeof *ni);
        if (!x || !ni) {
            free(x);
            free(ni);
            return ma_error_set(&b->eg_err, MA_ENOMEM, "out of memory (Egger's test)");
        }
        for (j = 0; j < d->k; j++)
            ni[j] = ma_study_n(&d->s[d->idx[j]]);
        st = ma_egger_predictor(b->pred, d->vi, ni, d->k, x, &b->eg_err);
        if (st == MA_EINPUT && b->pred != MA_EGGER_VI) /* name the study, not its position */
            for (j = 0; j < d->k; j++)
                if (!(isfinite(ni[j]) && ni[j] > 0)) {
                    ma_error_set(&b->eg_err, MA_EINPUT, "predictor %s needs the group sizes "
                                 "(n1, n2) of every study; %s (line %ld) has none",
                                 ma_egger_pred_name(b->pred), d->s[d->idx[j]].label,
                                 d->s[d->idx[j]].line);
                    break;
                }
    }
    if (st == MA_OK)
        st = b->egger == MA_EGGER_LM
                 ? ma_egger(d->yi, d->vi, x, d->k, o->level, &b->eg, &b->eg_err)
                 : ma_egger_rma(d->yi, d->vi, x, d->k, o, &b->er, &b->eg_err);
    free(x);
    free(ni);
    return st;
}

static void run(const ma_dataset_t *d, const ma_rma_opts_t *o, bias_t *b)
{
    ma_rma_opts_t ot = *o;
    b->fit_st = ma_rma_fit(d->yi, d->vi, d->k, o, &b->fit, &b->fit_err);
    b->eg_st = egger(d, o, b);
    b->bg_st = ma_begg(d->yi, d->vi, d->k, &b->bg, &b->bg_err);
    ot.test = MA_TEST_Z; /* metafor's trimfill refits do not pass the test on */
    ot.tau2_ci = 0;
    b->tf_st = ma_trimfill(d->yi, d->vi, d->k, b->est, b->side, &ot, &b->tf, &b->tf_err);
    b->fs_st = ma_fsn_rosenthal(d->yi, d->vi, d->k, b->alpha, &b->fs, &b->fs_err);
}

/* Egger's numbers of either model, and their names in the reference files: "lm" as the
 * first set (*.bias.csv), "rma" as the second (*.egger_rma.csv). */
enum { EGGER_BIAS, EGGER_BIAS_SE, EGGER_STAT, EGGER_DF, EGGER_P, EGGER_LIMIT, EGGER_LIMIT_SE,
       EGGER_LIMIT_LB, EGGER_LIMIT_UB, EGGER_NV };
static const char *const EGGER_FIELDS[2][EGGER_NV] = {
    [MA_EGGER_RMA] = {"egger_rma_bias", "egger_rma_bias_se", "egger_rma_stat", "egger_rma_df",
                      "egger_rma_p", "egger_rma_limit", "egger_rma_limit_se",
                      "egger_rma_limit_lb", "egger_rma_limit_ub"},
    [MA_EGGER_LM] = {"egger_bias", "egger_bias_se", "egger_t", "egger_df", "egger_p",
                     "egger_limit_estimate", "egger_limit_se", "egger_limit_ci_lb",
                     "egger_limit_ci_ub"}};

/* NaN where not computed, and the limit estimate NaN for ni and sqrtni (as regtest) */
static void egger_values(const bias_t *b, double *v)
{
    int lm = b->egger == MA_EGGER_LM, lim = ma_egger_pred_has_limit(b->pred);
    size_t i;
    v[EGGER_BIAS] = lm ? b->eg.bias : b->er.bias;
    v[EGGER_BIAS_SE] = lm ? b->eg.bias_se : b->er.bias_se;
    v[EGGER_STAT] = lm ? b->eg.t : b->er.stat;
    v[EGGER_DF] = lm ? b->eg.df : b->er.df;
    v[EGGER_P] = lm ? b->eg.p : b->er.p;
    v[EGGER_LIMIT] = lm ? b->eg.limit_estimate : b->er.limit;
    v[EGGER_LIMIT_SE] = lm ? b->eg.limit_se : b->er.limit_se;
    v[EGGER_LIMIT_LB] = lm ? b->eg.limit_ci_lb : b->er.limit_ci_lb;
    v[EGGER_LIMIT_UB] = lm ? b->eg.limit_ci_ub : b->er.limit_ci_ub;
    for (i = 0; i < EGGER_NV; i++)
        if (b->eg_st != MA_OK || (!lim && i >= EGGER_LIMIT))
            v[i] = NAN;
}

static void egger_text(FILE *f, const ma_rma_opts_t *o, const bias_t *b, int pct)
{
    static const char *const WORDS[] = {
        "their standard errors", "their sampling variances", "their sample sizes",
        "the inverse of their sample sizes", "the square root of their sample sizes",
        "the inverse square root of their sample sizes"};
    char x1[32], x2[32], x3[32], x4[32], st[48];
    int lm = b->egger == MA_EGGER_LM, sei = b->pred == MA_EGGER_SEI;
    double v[EGGER_NV];
    const char *xn = sei ? "SE" : ma_egger_pred_name(b->pred);

    if (lm)
        fprintf(f, "\nEgger's regression test (regtest model \"lm\": weighted least squares of "
                   "yi on %s, weights 1/vi):\n", WORDS[b->pred]);
    else
        fprintf(f, "\nEgger's regression test (regtest model \"rma\": meta-regression of yi on "
                   "%s, %s, %s test):\n", WORDS[b->pred],
                o->method == MA_METHOD_FE ? "common-effect"
                : b->eg_st == MA_OK       ? ma_method_name(b->er.method_used)
                                          : ma_method_name(o->method),
                b->eg_st == MA_OK ? ma_test_name(b->er.test) : ma_test_name(o->test));
    if (b->eg_st != MA_OK) {
        fprintf(f, "  not computed: %s\n", b->eg_err.msg);
        return;
    }
    egger_values(b, v);
    if (isnan(v[EGGER_DF]))
        snprintf(st, sizeof st, "z = %s", cli_num(v[EGGER_STAT], x3, 32));
    else
        snprintf(st, sizeof st, "t(%.0f) = %s", v[EGGER_DF], cli_num(v[EGGER_STAT], x3, 32));
    fprintf(f, "  bias (slope on %s) = %s (SE %s), %s, p = %s\n", xn,
            cli_num(v[EGGER_BIAS], x1, 32), cli_num(v[EGGER_BIAS_SE], x2, 32), st,
            cli_pval(v[EGGER_P], x4, 32));
    if (ma_egger_pred_has_limit(b->pred))
        fprintf(f, "  limit estimate (effect as %s -> 0) = %s [%d%% CI %s, %s]\n", xn,
                cli_num(v[EGGER_LIMIT], x1, 32), pct, cli_num(v[EGGER_LIMIT_LB], x2, 32),
                cli_num(v[EGGER_LIMIT_UB], x3, 32));
    if (!lm && b->er.note[0])
        fprintf(f, "  Note: %s.\n", b->er.note);
    fprintf(f, "  %s\n", v[EGGER_P] < 0.1 ? "Funnel plot asymmetry (p < 0.10): smaller "
                                            "studies report different effects."
                                          : "No evidence of funnel plot asymmetry (p >= 0.10).");
}

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_rma_opts_t *o, const bias_t *b)
{
    char x1[32], x2[32], x3[32], x4[32], x5[32];
    int pct = (int)lround(o->level * 100), fe = o->method == MA_METHOD_FE;
    size_t i;

    cli_analysis_heading(f, "Small-study effects and publication bias",
                         fe || b->fit_st != MA_OK ? o->method : b->fit.method_used, d->k,
                         cli_measure_name(c, d));
    if (b->fit_st == MA_OK && b->fit.note[0])
        fprintf(f, "Note: %s.\n", b->fit.note);
    if (d->k < MA_BIAS_MIN_K)
        fprintf(f, "Note: fewer than %d studies: small-study tests have little power.\n",
                MA_BIAS_MIN_K);
    if (b->fit_st == MA_OK)
        fprintf(f, "Pooled estimate: %s [%d%% CI %s, %s]\n", cli_num(b->fit.estimate, x1, 32), pct,
                cli_num(b->fit.ci_lb, x2, 32), cli_num(b->fit.ci_ub, x3, 32));

    egger_text(f, o, b, pct);

    fprintf(f, "\nBegg and Mazumdar rank correlation test:\n");
    if (b->bg_st == MA_OK)
        fprintf(f, "  Kendall's tau = %s, p = %s (%s)\n", cli_num(b->bg.tau, x1, 32),
                cli_pval(b->bg.p, x2, 32), b->bg.exact ? "exact" : b->bg.ties
                                     ? "normal approximation; ties" : "normal approximation");
    else
        fprintf(f, "  not computed: %s\n", b->bg_err.msg);

    fprintf(f, "\nTrim-and-fill (%s estimator, %s):\n", b->est == MA_TF_R0 ? "R0" : "L0",
            fe ? "common-effect model" : ma_method_name(o->method));
    if (b->tf_st == MA_OK) {
        const ma_trimfill_t *t = &b->tf;
        fprintf(f, "  estimated missing studies on the %s side: %zu (SE %s)", ma_side_name(t->side),
                t->k0, cli_num(t->se_k0, x1, 32));
        if (!isnan(t->p_k0))
            fprintf(f, ", p = %s", cli_pval(t->p_k0, x2, 32));
        if (t->side_auto)
            fprintf(f, "\n  (side from the slope of yi on SE in a meta-regression: %s)",
                    cli_num(t->side_slope, x1, 32));
        fprintf(f, "\n  %s estimate: %s [%d%% CI %s, %s], tau^2 = %s, k = %zu\n",
                t->k0 ? "adjusted" : "unchanged", cli_num(t->fit.estimate, x1, 32), pct,
                cli_num(t->fit.ci_lb, x2, 32), cli_num(t->fit.ci_ub, x3, 32), cli_num(t->fit.tau2, x4, 32),
                t->fit.k);
        for (i = 0; i < t->k0 && i < 20; i++)
            fprintf(f, "  %s (filled): yi = %s, vi = %s\n", d->s[d->idx[t->fill_of[i]]].label,
                    cli_num(t->fill_yi[i], x1, 32), cli_num(t->fill_vi[i], x5, 32));
        if (t->k0 > 20)
            fprintf(f, "  ... and %zu more filled studies (all in --format csv/tsv/json)\n",
                    t->k0 - 20);
        if (t->fit.note[0])
            fprintf(f, "  Note: %s\n", t->fit.note);
    } else {
        fprintf(f, "  not computed: %s\n", b->tf_err.msg);
    }

    fprintf(f, "\nRosenthal's fail-safe N:\n");
    if (b->fs_st == MA_OK)
        fprintf(f, "  %.0f studies averaging a null result would be needed to raise the "
                   "combined one-sided p (now %s) above %g.\n",
                b->fs.fsn, cli_pval(b->fs.p, x1, 32), b->fs.alpha);
    else
        fprintf(f, "  not computed: %s\n", b->fs_err.msg);
    cli_excluded_text(f, d);
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                          const ma_rma_opts_t *o, const bias_t *b)
{
    int eg = b->eg_st == MA_OK, bg = b->bg_st == MA_OK, tf = b->tf_st == MA_OK;
    int fs = b->fs_st == MA_OK;
    size_t i;

    ma_writer_section(w, "bias");
    ma_writer_begin(w);
    ma_writer_str(w, "measure", cli_measure_name(c, d));
    ma_writer_str(w, "method", ma_method_name(o->method));
    ma_writer_int(w, "k", (long)d->k);
    ma_writer_str(w, "note", d->k < MA_BIAS_MIN_K
                                 ? "fewer than 10 studies: small-study tests have little power"
                                 : "");
    ma_writer_str(w, "method_used", ma_method_name(b->fit_st == MA_OK ? b->fit.method_used
                                                                     : o->method));
    ma_writer_str(w, "fit_note", b->fit_st == MA_OK ? b->fit.note : "");
    ma_writer_num(w, "estimate", b->fit_st == MA_OK ? b->fit.estimate : NAN);
    double v[EGGER_NV];
    egger_values(b, v);
    ma_writer_str(w, "egger_model", ma_egger_model_name(b->egger));
    ma_writer_str(w, "egger_predictor", ma_egger_pred_name(b->pred));
    if (b->egger == MA_EGGER_RMA) {
        ma_writer_str(w, "egger_rma_method_used",
                      eg ? ma_method_name(b->er.method_used) : NULL);
        ma_writer_str(w, "egger_rma_test", ma_test_name(eg ? b->er.test : o->test));
    }
    for (i = 0; i < EGGER_NV; i++)
        ma_writer_num(w, EGGER_FIELDS[b->egger][i], v[i]);
    if (b->egger == MA_EGGER_RMA) {
        ma_writer_num(w, "egger_rma_tau2", eg ? b->er.tau2 : NAN);
        ma_writer_str(w, "egger_rma_note", eg ? b->er.note : "");
    }
    ma_writer_str(w, "egger_error", eg ? NULL : b->eg_err.msg);
    ma_writer_num(w, "begg_tau", bg ? b->bg.tau : NAN);
    ma_writer_num(w, "begg_p", bg ? b->bg.p : NAN);
    ma_writer_bool(w, "begg_exact", bg && b->bg.exact);
    ma_writer_str(w, "begg_error", bg ? NULL : b->bg_err.msg);
    ma_writer_str(w, "trimfill_estimator", b->est == MA_TF_R0 ? "R0" : "L0");
    ma_writer_num(w, "trimfill_k0", tf ? (double)b->tf.k0 : NAN);
    ma_writer_num(w, "trimfill_se_k0", tf ? b->tf.se_k0 : NAN);
    ma_writer_num(w, "trimfill_p_k0", tf ? b->tf.p_k0 : NAN);
    ma_writer_str(w, "trimfill_side", tf ? ma_side_name(b->tf.side) : NULL);
    ma_writer_num(w, "trimfill_side_slope", tf ? b->tf.side_slope : NAN);
    ma_writer_num(w, "trimfill_estimate", tf ? b->tf.fit.estimate : NAN);
    ma_writer_num(w, "trimfill_se", tf ? b->tf.fit.se : NAN);
    ma_writer_num(w, "trimfill_ci_lb", tf ? b->tf.fit.ci_lb : NAN);
    ma_writer_num(w, "trimfill_ci_ub", tf ? b->tf.fit.ci_ub : NAN);
    ma_writer_num(w, "trimfill_pval", tf ? b->tf.fit.pval : NAN);
    ma_writer_num(w, "trimfill_tau2", tf ? b->tf.fit.tau2 : NAN);
    ma_writer_int(w, "trimfill_k", tf ? (long)b->tf.fit.k : 0);
    ma_writer_str(w, "trimfill_error", tf ? NULL : b->tf_err.msg);
    ma_writer_num(w, "failsafe_n", fs ? b->fs.fsn : NAN);
    ma_writer_num(w, "failsafe_alpha", b->alpha);
    ma_writer_num(w, "failsafe_p", fs ? b->fs.p : NAN);
    ma_writer_end(w);
    ma_writer_section(w, "trimfill_filled");
    for (i = 0; tf && i < b->tf.k0; i++) {
        const ma_study_t *s = &d->s[d->idx[b->tf.fill_of[i]]];
        ma_writer_begin(w);
        char name[256];
        snprintf(name, sizeof name, "%s (filled)", s->label);
        ma_writer_int(w, "filled", (long)(i + 1));
        ma_writer_str(w, "study", name);
        ma_writer_str(w, "mirror_of", s->label);
        ma_writer_int(w, "mirror_line", s->line);
        ma_writer_num(w, "yi", b->tf.fill_yi[i]);
        ma_writer_num(w, "vi", b->tf.fill_vi[i]);
        ma_writer_end(w);
    }
    cli_excluded_records(w, d);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    bias_t *b = x->self;
    switch (opt) {
    case OPT_ESTIMATOR:
        if (!strcasecmp(arg, "L0"))
            b->est = MA_TF_L0;
        else if (!strcasecmp(arg, "R0"))
            b->est = MA_TF_R0;
        else
            return cli_usage_error("bias", "unknown estimator '%s' (expected L0 or R0)", arg),
                   -1;
        return 1;
    case OPT_SIDE:
        if (!strcasecmp(arg, "auto"))
            b->side = MA_SIDE_AUTO;
        else if (!strcasecmp(arg, "left"))
            b->side = MA_SIDE_LEFT;
        else if (!strcasecmp(arg, "right"))
            b->side = MA_SIDE_RIGHT;
        else
            return cli_usage_error("bias", "unknown side '%s' (expected auto, left or right)",
                                   arg),
                   -1;
        return 1;
    case OPT_EGGER: {
        int m = ma_egger_model_parse(arg);
        if (m < 0)
            return cli_usage_error("bias", "unknown Egger model '%s' (expected rma or lm)", arg),
                   -1;
        b->egger = (ma_egger_model_t)m;
        return 1;
    }
    case OPT_PREDICTOR: {
        int m = ma_egger_pred_parse(arg);
        if (m < 0)
            return cli_usage_error("bias", "unknown Egger predictor '%s' (expected sei, vi, "
                                           "ni, ninv, sqrtni or sqrtninv)", arg),
                   -1;
        b->pred = (ma_egger_pred_t)m;
        return 1;
    }
    case OPT_ALPHA:
        return cli_parse_double("bias", "--alpha", arg, 0, 1, &b->alpha) < 0 ? -1 : 1;
    default:
        return 0;
    }
}

static void init(cli_ctx_t *x)
{
    ((bias_t *)x->self)->alpha = 0.05;
}

static void text(cli_ctx_t *x, FILE *f)
{
    write_text(f, &x->c, x->d, &x->rma, x->self);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    write_records(w, &x->c, x->d, &x->rma, x->self);
}

static int run_cmd(cli_ctx_t *x)
{
    bias_t *b = x->self;
    x->rma.tau2_ci = 0;
    run(x->d, &x->rma, b);
    if (b->fit_st == MA_ENOMEM || b->tf_st == MA_ENOMEM || b->bg_st == MA_ENOMEM)
        return cli_oom(x);
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    ma_trimfill_clear(&((bias_t *)x->self)->tf);
}

static const struct option OPTIONS[] = {
    {"estimator", required_argument, NULL, OPT_ESTIMATOR},
    {"side", required_argument, NULL, OPT_SIDE},
    {"alpha", required_argument, NULL, OPT_ALPHA},
    {"egger", required_argument, NULL, OPT_EGGER},
    {"egger-predictor", required_argument, NULL, OPT_PREDICTOR},
    CLI_OPT_END};

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "bias: k estimate egger_bias egger_p begg_tau begg_p trimfill_k0 trimfill_side trimfill_estimate trimfill_ci_lb trimfill_ci_ub failsafe_n",
    "trimfill_filled: filled mirror_of yi vi",
    NULL};

const cli_cmd_t CLI_CMD_BIAS = {
    .md_columns = MD_COLUMNS,
    .name = "bias", .summary = "small-study effects: Egger, Begg, trim-and-fill, fail-safe N",
    .help = HELP, .help_parts = {CLI_COMMON_HELP, CLI_RMA_HELP}, .groups = CLI_GROUP_RMA,
    .options = OPTIONS, .self_size = sizeof(bias_t), .min_k = 2, .k_style = CLI_K_OF_USABLE,
    .k_needs = "bias tests need", .init = init, .option = option, .run = run_cmd,
    .clear = clear,
};
