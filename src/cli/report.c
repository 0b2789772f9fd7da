/* Printers shared by the subcommands: model summaries, study lists, excluded rows. */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* The method list of the help and the parse errors, from the method table: "FE, DL, REML
 * (default), ..., HE or EB" (the default marked when `dflt` is a method). */
static void method_list(char *buf, size_t n, int dflt)
{
    size_t m, count = ma_method_count(), len = 0;
    buf[0] = '\0';
    for (m = 0; m < count && len < n; m++) {
        len += (size_t)snprintf(buf + len, n - len, "%s%s%s",
                                m == 0 ? "" : m + 1 == count ? " or " : ", ",
                                ma_method_name((ma_method_t)m),
                                (int)m == dflt ? " (default)" : "");
    }
}

static const char RMA_HELP_TAIL[] =
    "  --test z|knha|t|adhoc\n"
    "                       z test (default); knha: Hartung-Knapp-Sidik-Jonkman t test;\n"
    "                       t: t test with k-1 df and the z standard error; adhoc:\n"
    "                       Knapp-Hartung with the standard error never below the z one\n"
    "  --pi default|hts     prediction interval: metafor's (z, or t with k-1 df unless\n"
    "                       --test z) or Higgins-Thompson-Spiegelhalter (t with k-2 df)\n"
    "  --level L            confidence level (default 95), read as metafor does: L >= 1\n"
    "                       is in percent (95, also 1 = 1%), 0.5 < L < 1 a fraction\n"
    "                       (0.95), 0 < L <= 0.5 the error rate alpha (0.05 = 95%)\n"
    "  --maxiter N          Fisher scoring iterations for ML, REML, EB (default 1000)\n"
    "  --stepadj X          Fisher scoring step multiplier (default 1); the step is also\n"
    "                       halved by itself while it would lower the likelihood\n"
    "  --tau2-init X        Fisher scoring start (default: Hedges' estimate, at least 0)\n";

char CLI_METHOD_HELP[256];
char CLI_RMA_HELP[2048];

void cli_help_init(void)
{
    char list[192];
    cli_common_help_init();
    method_list(list, sizeof list, MA_METHOD_REML);
    snprintf(CLI_METHOD_HELP, sizeof CLI_METHOD_HELP, "  -m, --method M       %s\n", list);
    snprintf(CLI_RMA_HELP, sizeof CLI_RMA_HELP, "Model options:\n%s%s", CLI_METHOD_HELP,
             RMA_HELP_TAIL);
}

const char *cli_test_label(ma_test_t t)
{
    switch (t) {
    case MA_TEST_KNHA:
        return "Hartung-Knapp-Sidik-Jonkman";
    case MA_TEST_T:
        return "unadjusted standard errors";
    case MA_TEST_ADHOC:
        return "Knapp-Hartung, SE at least the z one";
    default:
        return "z";
    }
}

int cli_parse_level(const char *cmd, const char *arg, double *level)
{
    double x;
    /* metafor's .level(): alpha = (100 - L)/100 for L >= 1, 1 - L for 0.5 < L < 1, L for
     * 0 < L <= 0.5. L = 0 and 100 (a CI of width 0 or infinity) are refused. */
    if (ma_parse_double(arg, &x) != MA_NUM_OK || !(x > 0 && x < 100)) {
        cli_usage_error(cmd, "--level must be a number between 0 and 100 (95 or 0.95 for a "
                             "95%% interval), got '%s'", arg);
        return -1;
    }
    *level = x >= 1 ? x / 100 : x > 0.5 ? x : 1 - x;
    return 0;
}

int cli_rma_opt(ma_rma_opts_t *o, int opt, const char *arg, const char *cmd)
{
    int x;
    double lv;
    switch (opt) {
    case OPT_METHOD:
        if ((x = ma_method_parse(arg)) < 0) {
            char list[192];
            method_list(list, sizeof list, -1);
            cli_usage_error(cmd, "unknown method '%s' (expected %s)", arg, list);
            return -1;
        }
        o->method = (ma_method_t)x;
        return 1;
    case OPT_TEST:
        if ((x = ma_test_parse(arg)) < 0) {
            cli_usage_error(cmd, "unknown test '%s' (expected z, knha, t or adhoc)", arg);
            return -1;
        }
        o->test = (ma_test_t)x;
        return 1;
    case OPT_PI:
        if (!strcasecmp(arg, "default"))
            o->pi = MA_PI_DEFAULT;
        else if (!strcasecmp(arg, "hts"))
            o->pi = MA_PI_HTS;
        else {
            cli_usage_error(cmd, "unknown prediction interval '%s' (expected default or hts)",
                            arg);
            return -1;
        }
        return 1;
    case OPT_LEVEL:
        if (cli_parse_level(cmd, arg, &lv) < 0)
            return -1;
        o->level = lv;
        return 1;
    case OPT_MAXITER:
        if (ma_parse_double(arg, &lv) != MA_NUM_OK || !(lv >= 1 && lv <= 1e7)
            || lv != floor(lv)) {
            cli_usage_error(cmd, "--maxiter must be a whole number from 1 to 10000000, got "
                                 "'%s'", arg);
            return -1;
        }
        o->maxiter = (int)lv;
        return 1;
    case OPT_STEPADJ:
        if (cli_parse_double(cmd, "--stepadj", arg, 0, 1e6, &lv) < 0)
            return -1;
        o->stepadj = lv;
        return 1;
    case OPT_TAU2_INIT:
        if (ma_parse_double(arg, &lv) != MA_NUM_OK || !(lv >= 0) || !isfinite(lv)) {
            cli_usage_error(cmd, "--tau2-init must be a finite number >= 0, got '%s'", arg);
            return -1;
        }
        o->tau2_init = lv;
        return 1;
    default:
        return 0;
    }
}

/* O(n): call it once per output, not once per row. */
const char *cli_measure_name(const cli_common_t *c, const ma_dataset_t *d)
{
    size_t i;
    int given = d && d->n > 0;
    for (i = 0; d && i < d->n; i++)
        if (d->s[i].form != MA_FORM_YI_VI)
            given = 0;
    if (given)
        return "yi as given";
    return c->ds.es.measure == MA_MEASURE_MD ? "MD" : "SMD";
}

/* The decimals of this run's text and md output, set once from --digits. */
static int run_digits = 4;

void cli_set_digits(int digits)
{
    run_digits = digits;
}

int cli_digits(void)
{
    return run_digits;
}

const char *cli_num(double x, char *buf, size_t n)
{
    return ma_fmt_fixed(x, run_digits, buf, n);
}

const char *cli_pval(double p, char *buf, size_t n)
{
    return ma_fmt_pval(p, run_digits, buf, n);
}

void cli_rma_text(FILE *f, const ma_rma_t *r, const ma_rma_opts_t *o, const char *measure)
{
    char a[32], b[32], c[32], d[32], e[32], g[32];
    int fe = r->method_used == MA_METHOD_FE;
    double pct = 100 * o->level;
    fprintf(f, "%s Model (k = %zu; %s%s)\n\n",
            fe ? "Common-Effect" : "Random-Effects", r->k,
            fe ? "" : "tau^2 estimator: ", fe ? "inverse-variance weights" : ma_method_name(r->method_used));
    if (r->note[0])
        fprintf(f, "Note: %s\n\n", r->note);
    if (!fe) {
        fprintf(f, "tau^2 (estimated amount of total heterogeneity): %s", cli_num(r->tau2, a, 32));
        if (!isnan(r->tau2_lb))
            fprintf(f, " [%g%% CI %s, %s]", pct, cli_num(r->tau2_lb, b, 32), cli_num(r->tau2_ub, c, 32));
        fprintf(f, "\ntau (square root of estimated tau^2 value):      %s\n", cli_num(r->tau, a, 32));
    }
    fprintf(f, "I^2 (total heterogeneity / total variability):   %s%%", cli_num(r->I2, a, 32));
    if (!isnan(r->I2_lb))
        fprintf(f, " [%s%%, %s%%]", cli_num(r->I2_lb, b, 32), cli_num(r->I2_ub, c, 32));
    fprintf(f, "\nH^2 (total variability / sampling variability):  %s", cli_num(r->H2, a, 32));
    if (!isnan(r->H2_lb))
        fprintf(f, " [%s, %s]", cli_num(r->H2_lb, b, 32), cli_num(r->H2_ub, c, 32));
    fprintf(f, "\n\nTest for Heterogeneity:\nQ(df = %.0f) = %s, p-val = %s\n\n", r->Q_df,
            cli_num(r->Q, a, 32), cli_pval(r->Q_p, b, 32));
    if (r->k == 1)
        fprintf(f, "Heterogeneity is not estimable from one study: there is no spread of "
                   "effects to\ncompare with the sampling variance, so I^2, H^2, the Q "
                   "test and the prediction\ninterval are NA (metafor prints I^2 = 0, "
                   "H^2 = 1, p = 1 and the CI as the PI).\n\n");
    fprintf(f, "Model Results (%s; positive favours IASTM):\n\n", measure);
    fprintf(f, "%10s %10s %10s %10s %10s %10s\n", "estimate", "se",
            !isnan(r->df) ? "tval" : "zval", "pval", "ci.lb", "ci.ub");
    fprintf(f, "%10s %10s %10s %10s %10s %10s\n", cli_num(r->estimate, a, 32), cli_num(r->se, b, 32),
            cli_num(r->stat, c, 32), cli_pval(r->pval, d, 32), cli_num(r->ci_lb, e, 32),
            cli_num(r->ci_ub, g, 32));
    if (!isnan(r->df))
        fprintf(f, "(t test with %.0f df, %s)\n", r->df, cli_test_label(r->test));
    if (!fe) {
        if (!isnan(r->pi_lb))
            fprintf(f, "\nPrediction interval (%g%%%s): [%s, %s]\n", pct,
                    o->pi == MA_PI_HTS ? ", t with k-2 df" : "", cli_num(r->pi_lb, a, 32),
                    cli_num(r->pi_ub, b, 32));
        else
            fprintf(f, "\nPrediction interval: not defined for k = %zu\n", r->k);
    }
}

/* The fields of a fit, each named once: records of every command select from them. */
#define NUM(f) {#f, 'n', offsetof(ma_rma_t, f)}
static const struct {
    const char *name;
    char kind; /* n: double, k: size_t, i: int, b: bool (int), m: method, s: string */
    size_t off;
} RMA_FIELDS[] = {
    {"k", 'k', offsetof(ma_rma_t, k)}, NUM(estimate), NUM(se), NUM(stat), NUM(df), NUM(pval),
    NUM(ci_lb), NUM(ci_ub), NUM(tau2), NUM(tau2_lb), NUM(tau2_ub), NUM(tau), NUM(I2),
    NUM(I2_lb), NUM(I2_ub), NUM(H2), NUM(H2_lb), NUM(H2_ub), NUM(Q), NUM(Q_df), NUM(Q_p),
    NUM(pi_lb), NUM(pi_ub), {"method_used", 'm', offsetof(ma_rma_t, method_used)},
    {"converged", 'b', offsetof(ma_rma_t, converged)},
    {"iterations", 'i', offsetof(ma_rma_t, iterations)}, {"note", 's', offsetof(ma_rma_t, note)},
};
#undef NUM

void cli_rma_fields(ma_writer_t *w, const ma_rma_t *r, const char *names)
{
    const char *p = names;
    while (*p) {
        size_t n = strcspn(p, " "), i;
        for (i = 0; i < sizeof RMA_FIELDS / sizeof RMA_FIELDS[0]; i++) {
            const char *f = (const char *)r + RMA_FIELDS[i].off;
            if (strlen(RMA_FIELDS[i].name) != n || strncmp(RMA_FIELDS[i].name, p, n) != 0)
                continue;
            switch (RMA_FIELDS[i].kind) {
            case 'n': ma_writer_num(w, RMA_FIELDS[i].name, *(const double *)(const void *)f); break;
            case 'k': ma_writer_int(w, RMA_FIELDS[i].name, (long)*(const size_t *)(const void *)f); break;
            case 'i': ma_writer_int(w, RMA_FIELDS[i].name, *(const int *)(const void *)f); break;
            case 'b': ma_writer_bool(w, RMA_FIELDS[i].name, *(const int *)(const void *)f); break;
            case 'm':
                ma_writer_str(w, RMA_FIELDS[i].name,
                              ma_method_name(*(const ma_method_t *)(const void *)f));
                break;
            default: ma_writer_str(w, RMA_FIELDS[i].name, f); break;
            }
            break;
        }
        p += n;
        while (*p == ' ')
            p++;
    }
}

void cli_pool_section(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                      const ma_rma_t *r, const ma_rma_opts_t *o)
{
    ma_writer_section(w, "pool");
    ma_writer_begin(w);
    ma_writer_str(w, "measure", cli_measure_name(c, d));
    cli_rma_record(w, r, o);
    ma_writer_end(w);
}

void cli_rma_record(ma_writer_t *w, const ma_rma_t *r, const ma_rma_opts_t *o)
{
    ma_writer_str(w, "model", r->method_used == MA_METHOD_FE ? "common" : "random");
    ma_writer_str(w, "method", ma_method_name(r->method));
    ma_writer_str(w, "method_used", ma_method_name(r->method_used));
    ma_writer_str(w, "test", ma_test_name(r->test));
    ma_writer_str(w, "pi_type", o->pi == MA_PI_HTS ? "hts" : "default");
    ma_writer_num(w, "level", o->level);
    cli_rma_fields(w, r, "k estimate se stat df pval ci_lb ci_ub tau2 tau2_lb tau2_ub tau I2 "
                         "I2_lb I2_ub H2 H2_lb H2_ub Q Q_df Q_p pi_lb pi_ub converged "
                         "iterations note");
}

void cli_not_pooled_text(FILE *f, const ma_dataset_t *d)
{
    size_t i, n = d->n - d->k;
    if (n == 0)
        return;
    fprintf(f, "\nNot pooled (%zu row%s):\n", n, n == 1 ? "" : "s");
    for (i = 0; i < d->n; i++)
        if (!d->s[i].included)
            fprintf(f, "  %s (line %ld): %s\n", d->s[i].label, d->s[i].line, d->s[i].reason);
}

void cli_not_pooled_records(ma_writer_t *w, const ma_dataset_t *d)
{
    size_t i;
    ma_writer_section(w, "excluded");
    for (i = 0; i < d->n; i++) {
        if (d->s[i].included)
            continue;
        ma_writer_begin(w);
        ma_writer_str(w, "study", d->s[i].label);
        ma_writer_int(w, "line", d->s[i].line);
        ma_writer_str(w, "data_form", ma_form_name(d->s[i].form));
        ma_writer_str(w, "reason", d->s[i].reason);
        ma_writer_end(w);
    }
}

/* The dependence summary; an out-of-memory failure leaves it empty (no note). */
static void dependence(const ma_dataset_t *d, ma_dependence_t *dep)
{
    ma_error_t err;
    if (ma_dataset_dependence(d, dep, &err) != MA_OK)
        dep->note[0] = '\0';
}

/* Every pooling command's output ends with these two: the rows not pooled, and the note
 * that some rows come from one cluster (study) when they do. */
void cli_excluded_text(FILE *f, const ma_dataset_t *d)
{
    ma_dependence_t dep;
    cli_not_pooled_text(f, d);
    dependence(d, &dep);
    if (dep.note[0])
        fprintf(f, "\nWarning: %s.\n", dep.note);
}

void cli_coef_fields(ma_writer_t *w, double b, double se, double stat, double pval,
                     double ci_lb, double ci_ub)
{
    ma_writer_num(w, "estimate", b);
    ma_writer_num(w, "se", se);
    ma_writer_num(w, "stat", stat);
    ma_writer_num(w, "pval", pval);
    ma_writer_num(w, "ci_lb", ci_lb);
    ma_writer_num(w, "ci_ub", ci_ub);
}

void cli_design_missing_text(FILE *f, const ma_dataset_t *d, const ma_design_t *x,
                             const char *heading)
{
    size_t i;
    if (!x || x->nmissing == 0)
        return;
    fprintf(f, "\n%s (%zu row%s):\n", heading, x->nmissing, x->nmissing == 1 ? "" : "s");
    for (i = 0; i < x->nmissing; i++) {
        const ma_study_t *s = &d->s[d->idx[x->missing[i]]];
        fprintf(f, "  %s (line %ld): %s\n", s->label, s->line, x->reason[i]);
    }
}

void cli_excluded_records(ma_writer_t *w, const ma_dataset_t *d)
{
    cli_excluded_records_and(w, d, NULL, 0, NULL, NULL);
}

void cli_excluded_records_and(ma_writer_t *w, const ma_dataset_t *d, const size_t *pos,
                              size_t n, char *const *reasons, const char *reason)
{
    ma_dependence_t dep;
    size_t i;
    cli_not_pooled_records(w, d);
    for (i = 0; i < n; i++) {
        const ma_study_t *s = &d->s[d->idx[pos[i]]];
        ma_writer_begin(w);
        ma_writer_str(w, "study", s->label);
        ma_writer_int(w, "line", s->line);
        ma_writer_str(w, "data_form", ma_form_name(s->form));
        ma_writer_str(w, "reason", reasons ? reasons[i] : reason);
        ma_writer_end(w);
    }
    dependence(d, &dep);
    if (!dep.note[0])
        return;
    ma_writer_section(w, "dependence");
    ma_writer_begin(w);
    ma_writer_str(w, "cluster_column", dep.column);
    ma_writer_int(w, "k", (long)dep.k);
    ma_writer_int(w, "clusters", (long)dep.nclusters);
    ma_writer_int(w, "clusters_with_several_rows", (long)dep.nmulti);
    ma_writer_str(w, "largest_cluster", dep.show[0]);
    ma_writer_int(w, "largest_cluster_rows", (long)dep.show_rows[0]);
    ma_writer_str(w, "note", dep.note);
    ma_writer_end(w);
}

void cli_dependence_warn(const char *cmd, const ma_dataset_t *d)
{
    cli_dependence_warn_within(cmd, d, NULL);
}

void cli_dependence_warn_within(const char *cmd, const ma_dataset_t *d, const char *within)
{
    ma_dependence_t dep;
    ma_error_t err;
    if (ma_dataset_dependence_within(d, within, &dep, &err) == MA_OK && dep.note[0])
        fprintf(stderr, "iastm %s: warning: %s\n", cmd, dep.note);
}

/* The sum of the pooled rows' weights 1/(vi + tau2). */
static double weight_sum(const ma_dataset_t *d, double tau2)
{
    size_t i;
    double sw = 0;
    for (i = 0; i < d->k; i++)
        sw += 1.0 / (d->vi[i] + tau2);
    return sw;
}

size_t cli_label_width(const ma_dataset_t *d)
{
    size_t j, w = 12;
    for (j = 0; j < d->k; j++) {
        size_t l = strlen(d->s[d->idx[j]].label);
        if (l > w)
            w = l < 30 ? l : 30;
    }
    return w;
}

void cli_analysis_heading(FILE *f, const char *title, ma_method_t m, size_t k,
                          const char *measure)
{
    int fe = m == MA_METHOD_FE;
    fprintf(f, "%s (%s; %s; k = %zu; %s)\n", title,
            fe ? "common-effect model" : "random-effects model",
            fe ? "inverse-variance weights" : ma_method_name(m), k, measure);
}

void cli_studies_text(FILE *f, const ma_dataset_t *d, double tau2)
{
    char a[32], b[32], c[32];
    size_t j, w = cli_label_width(d);
    double sw = weight_sum(d, tau2);
    fprintf(f, "\nStudies pooled (k = %zu):\n\n%-*s %6s %10s %10s %10s\n", d->k, (int)w, "study",
            "line", "yi", "vi", "weight(%)");
    for (j = 0; j < d->k; j++) {
        const ma_study_t *s = &d->s[d->idx[j]];
        fprintf(f, "%-*.*s %6ld %10s %10s %10s\n", (int)w, (int)w, s->label, s->line,
                cli_num(s->yi, a, 32), cli_num(s->vi, b, 32),
                cli_num(100.0 / (d->vi[j] + tau2) / sw, c, 32));
    }
}

void cli_studies_records(ma_writer_t *w, const ma_dataset_t *d, double tau2)
{
    size_t j;
    double sw = weight_sum(d, tau2);
    ma_writer_section(w, "studies");
    for (j = 0; j < d->k; j++) {
        const ma_study_t *s = &d->s[d->idx[j]];
        ma_writer_begin(w);
        ma_writer_str(w, "study", s->label);
        ma_writer_int(w, "line", s->line);
        ma_writer_num(w, "yi", s->yi);
        ma_writer_num(w, "vi", s->vi);
        ma_writer_num(w, "weight", 100.0 / (d->vi[j] + tau2) / sw);
        ma_writer_num(w, "n1", s->n1);
        ma_writer_num(w, "n2", s->n2);
        ma_writer_str(w, "es_method", s->method);
        ma_writer_end(w);
    }
}
