/* iastm bayes: Bayesian random-effects meta-analysis (normal-normal model, prior on tau). */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "command.h"
#include "bayes_cli.h"

static const char HELP[] =
    "Usage: iastm bayes [OPTIONS] FILE.csv\n"
    "Bayesian random-effects meta-analysis: the normal-normal hierarchical model with a\n"
    "flat (or normal) prior on mu and a prior on tau, computed by deterministic adaptive\n"
    "quadrature over tau (priors as defined by R bayesmeta). Reports tau, mu and the\n"
    "effect of a new study (theta_new): median, mean, sd, central and shortest intervals;\n"
    "P(mu > 0); each study's shrunken effect; the log marginal likelihood.\n"
    "\n%s"
    "Model options:\n"
    "  --tau-prior PRIOR    prior on tau (default halfnormal:0.5 for standardized effects):\n"
    "                       halfnormal:S, halfcauchy:S, halfstudent:S:NU, lomax:S:A,\n"
    "                       uniform:A:B (B finite), jeffreys (improper)\n"
    "  --mu-prior P         flat (default) or normal:M:S\n"
    "  --level L            interval level, 0.95 or 95 (default 95%%)\n"
    "  --margin M           also report P(mu > M)\n"
    "\nExamples:\n"
    "  iastm bayes data/examples/normand1999.csv          (Hedges' g, half-normal(0.5))\n"
    "  iastm bayes --tau-prior halfcauchy:1 --format json data/examples/bcg.csv\n"
    "  iastm bayes --mu-prior normal:0:4 --margin -0.2 --level 90 data/examples/bcg.csv\n";

int cli_bayes_level(const char *cmd, const char *arg, double *level)
{
    double x;
    if (ma_parse_double(arg, &x) != MA_NUM_OK || !(x > 0 && x < 100) || x == 1) {
        cli_usage_error(cmd, "--level must be a probability in (0, 1) or a percentage in "
                             "(1, 100), got '%s'", arg);
        return -1;
    }
    *level = x < 1 ? x : x / 100;
    return 0;
}

int cli_bayes_opt(ma_bayes_opts_t *o, int opt, const char *arg, const char *cmd, int *prior_set)
{
    ma_error_t err;
    ma_error_clear(&err);
    switch (opt) {
    case OPT_TAU_PRIOR:
        if (ma_tau_prior_parse(arg, &o->tau_prior, &err) != MA_OK) {
            cli_usage_error(cmd, "--tau-prior: %s", err.msg);
            return -1;
        }
        *prior_set = 1;
        return 1;
    case OPT_MU_PRIOR:
        if (!strcasecmp(arg, "flat")) {
            o->mu_normal = 0;
            return 1;
        } else {
            char buf[256], *c1, *c2;
            double m, s;
            if (strlen(arg) < sizeof buf && strncasecmp(arg, "normal:", 7) == 0) {
                strcpy(buf, arg + 7);
                c1 = buf;
                if ((c2 = strchr(c1, ':')) != NULL) {
                    *c2++ = '\0';
                    if (ma_parse_double(c1, &m) == MA_NUM_OK &&
                        ma_parse_double(c2, &s) == MA_NUM_OK) {
                        if (!(s > 0)) {
                            cli_usage_error(cmd, "--mu-prior: the sd S of normal:M:S must be "
                                                 "> 0, got '%s'", arg);
                            return -1;
                        }
                        o->mu_normal = 1;
                        o->mu_mean = m;
                        o->mu_sd = s;
                        return 1;
                    }
                }
            }
            cli_usage_error(cmd, "--mu-prior takes flat or normal:M:S (numbers), got '%s'",
                            arg);
            return -1;
        }
    case OPT_LEVEL:
        return cli_bayes_level(cmd, arg, &o->level) < 0 ? -1 : 1;
    case OPT_BAYES_MARGIN:
        if (ma_parse_double(arg, &o->margin) != MA_NUM_OK) {
            cli_usage_error(cmd, "--margin must be a number, got '%s'", arg);
            return -1;
        }
        return 1;
    default:
        return 0;
    }
}

int cli_bayes_defaults(const char *cmd, const cli_common_t *c, const ma_dataset_t *d,
                       ma_bayes_opts_t *o, int prior_set)
{
    (void)o;
    if (!prior_set && strcmp(cli_measure_name(c, d), "MD") == 0)
        return cli_usage_error(cmd, "--tau-prior is needed with --measure MD: the default "
                                    "halfnormal:0.5 is for standardized effects");
    return 0;
}

static void summary_record(ma_writer_t *w, const char *p, const ma_post_summary_t *s)
{
    char key[64];
#define PUT(name, val)                                     \
    do {                                                   \
        snprintf(key, sizeof key, "%s_%s", p, name);       \
        ma_writer_num(w, key, val);                        \
    } while (0)
    PUT("median", s->median);
    PUT("mean", s->mean);
    PUT("sd", s->sd);
    PUT("lb", s->lb);
    PUT("ub", s->ub);
    PUT("shortest_lb", s->slb);
    PUT("shortest_ub", s->sub);
#undef PUT
}

/* "[lb, ub]" rounded for reading. */
static const char *interval(double lb, double ub, char *buf, size_t n)
{
    char a[32], b[32];
    snprintf(buf, n, "[%s, %s]", cli_num(lb, a, sizeof a), cli_num(ub, b, sizeof b));
    return buf;
}

static void text_row(FILE *f, const char *name, const ma_post_summary_t *s)
{
    char b[3][32], c[80], d[80];
    fprintf(f, "%-10s %9s %9s %9s   %-20s  %s\n", name, cli_num(s->median, b[0], 32),
            cli_num(s->mean, b[1], 32), cli_num(s->sd, b[2], 32),
            interval(s->lb, s->ub, c, sizeof c), interval(s->slb, s->sub, d, sizeof d));
}

static void mu_prior_text(char *buf, size_t n, const ma_bayes_opts_t *o)
{
    if (o->mu_normal)
        snprintf(buf, n, "normal (mean %g, sd %g)", o->mu_mean, o->mu_sd);
    else
        snprintf(buf, n, "flat (improper uniform)");
}

static void bayes_text(FILE *f, const ma_bayes_t *r, const ma_bayes_opts_t *o,
                       const ma_dataset_t *d, const char *measure, int prior_set,
                       const ma_bayes_t *sens)
{
    char b1[128], b2[128], n1[32], n2[32], n3[32];
    size_t i;
    double pct = 100 * o->level;
    fprintf(f, "Bayesian random-effects meta-analysis (normal-normal model), k = %zu\n", r->k);
    fprintf(f, "Effect measure: %s\n", measure);
    fprintf(f, "Priors: tau ~ %s; mu ~ %s\n",
            ma_tau_prior_describe(&o->tau_prior, b1, sizeof b1), (mu_prior_text(b2, sizeof b2, o), b2));
    if (!prior_set)
        fprintf(f, "Note: the default prior on tau, half-normal with scale 0.5, is weakly "
                   "informative\n"
                   "  for standardized effects (and log odds or risk ratios): 95%% of its "
                   "mass lies below\n"
                   "  tau = 0.98, allowing large heterogeneity while ruling out absurd values "
                   "with few\n"
                   "  studies (Friede et al. 2017; Röver et al. 2021).\n");
    fprintf(f, "Computed by adaptive quadrature over tau (%zu nodes).\n\n", r->nodes);
    fprintf(f, "%-10s %9s %9s %9s   %-20s  %s\n", "", "median", "mean", "sd",
            (snprintf(b1, sizeof b1, "%g%% central", pct), b1),
            (snprintf(b2, sizeof b2, "%g%% shortest", pct), b2));
    text_row(f, "tau", &r->tau);
    text_row(f, "mu", &r->mu);
    text_row(f, "theta_new", &r->theta);
    fprintf(f, "(theta_new: the effect in a new study, the predictive distribution)\n");
    fprintf(f, "\nP(mu > 0) = %s\n", cli_num(r->mu_p_gt0, n1, sizeof n1));
    if (o->margin != 0)
        fprintf(f, "P(mu > %g) = %s\n", o->margin, cli_num(r->mu_p_gt_margin, n1, sizeof n1));
    if (isnan(r->log_marglik))
        fprintf(f, "log marginal likelihood: NA (improper prior on tau)\n");
    else
        fprintf(f, "log marginal likelihood = %s%s\n", cli_num(r->log_marglik, n1, sizeof n1),
                o->mu_normal ? "" : " (relative to a flat prior density 1 on mu)");
    if (r->note[0])
        fprintf(f, "Note: %s\n", r->note);
    fprintf(f, "\nStudy effects: observed and posterior (shrunken), %g%% central interval\n",
            pct);
    fprintf(f, "%-24s %9s %9s   %s\n", "study", "yi", "mean", "interval");
    for (i = 0; i < r->k; i++) {
        const ma_study_t *s = &d->s[d->idx[i]];
        char iv[80];
        fprintf(f, "%-24.24s %9s %9s   %s\n", s->label ? s->label : "",
                cli_num(d->yi[i], n2, sizeof n2), cli_num(r->shrunk_mean[i], n3, sizeof n3),
                interval(r->shrunk_lb[i], r->shrunk_ub[i], iv, sizeof iv));
    }
    if (sens) {
        char a[32], c[80], t[32];
        fprintf(f, "\nSensitivity, tau ~ half-normal (scale 1): mu median %s %s, "
                   "tau median %s\n",
                cli_num(sens->mu.median, a, sizeof a), interval(sens->mu.lb, sens->mu.ub, c, sizeof c),
                cli_num(sens->tau.median, t, sizeof t));
    }
}

typedef struct {
    ma_bayes_opts_t o;
    int prior_set, have_sens;
    ma_bayes_t r, sens;
} bayes_t;

static void init(cli_ctx_t *x)
{
    ma_bayes_opts_init(&((bayes_t *)x->self)->o);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    bayes_t *b = x->self;
    return cli_bayes_opt(&b->o, opt, arg, "bayes", &b->prior_set);
}

static void text(cli_ctx_t *x, FILE *f)
{
    bayes_t *b = x->self;
    bayes_text(f, &b->r, &b->o, x->d, cli_measure_name(&x->c, x->d), b->prior_set,
               b->have_sens ? &b->sens : NULL);
    cli_excluded_text(f, x->d);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    bayes_t *b = x->self;
    const ma_bayes_t *r = &b->r;
    const ma_bayes_opts_t *o = &b->o;
    const ma_dataset_t *d = x->d;
    char pb[128], mb[128];
    size_t i;
    ma_writer_section(w, "bayes");
    ma_writer_begin(w);
    ma_writer_str(w, "measure", cli_measure_name(&x->c, d));
    ma_writer_str(w, "prior", ma_tau_prior_format(&o->tau_prior, pb, sizeof pb));
    if (o->mu_normal)
        snprintf(mb, sizeof mb, "normal:%g:%g", o->mu_mean, o->mu_sd);
    else
        snprintf(mb, sizeof mb, "flat");
    ma_writer_str(w, "mu_prior", mb);
    ma_writer_int(w, "k", (long)r->k);
    ma_writer_num(w, "level", o->level);
    summary_record(w, "tau", &r->tau);
    summary_record(w, "mu", &r->mu);
    ma_writer_num(w, "mu_p_gt0", r->mu_p_gt0);
    ma_writer_num(w, "margin", o->margin);
    ma_writer_num(w, "mu_p_gt_margin", r->mu_p_gt_margin);
    summary_record(w, "theta", &r->theta);
    ma_writer_num(w, "log_marglik", r->log_marglik);
    ma_writer_int(w, "nodes", (long)r->nodes);
    ma_writer_end(w);
    ma_writer_section(w, "studies");
    for (i = 0; i < r->k; i++) {
        const ma_study_t *s = &d->s[d->idx[i]];
        ma_writer_begin(w);
        ma_writer_str(w, "study", s->label);
        ma_writer_int(w, "line", s->line);
        ma_writer_num(w, "yi", d->yi[i]);
        ma_writer_num(w, "vi", d->vi[i]);
        ma_writer_num(w, "shrunk_mean", r->shrunk_mean[i]);
        ma_writer_num(w, "shrunk_sd", r->shrunk_sd[i]);
        ma_writer_num(w, "shrunk_lb", r->shrunk_lb[i]);
        ma_writer_num(w, "shrunk_ub", r->shrunk_ub[i]);
        ma_writer_end(w);
    }
    cli_excluded_records(w, d);
}

static int run(cli_ctx_t *x)
{
    bayes_t *b = x->self;
    const ma_dataset_t *d = x->d;
    ma_error_t err;
    int rc;
    if ((rc = cli_bayes_defaults("bayes", &x->c, d, &b->o, b->prior_set)) != 0)
        return rc;
    if (ma_bayes_fit(d->yi, d->vi, d->k, &b->o, &b->r, &err) != MA_OK) {
        if (err.code == MA_EUSAGE)
            return cli_usage_error("bayes", "--tau-prior: %s", err.msg);
        return cli_report(&err);
    }
    if (x->c.format == MA_FMT_TEXT && !(b->o.tau_prior.kind == MA_TAU_HALFNORMAL &&
                                        b->o.tau_prior.scale == 1)) {
        ma_bayes_opts_t o1 = b->o;
        o1.tau_prior.kind = MA_TAU_HALFNORMAL;
        o1.tau_prior.scale = 1;
        b->have_sens = ma_bayes_fit(d->yi, d->vi, d->k, &o1, &b->sens, &err) == MA_OK;
    }
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    bayes_t *b = x->self;
    ma_bayes_free(&b->r);
    ma_bayes_free(&b->sens);
}

static const struct option OPTIONS[] = {
    CLI_BAYES_LONGOPTS,
    {"level", required_argument, NULL, OPT_LEVEL},
    CLI_OPT_END};

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "bayes: prior k mu_median mu_lb mu_ub mu_p_gt0 tau_median tau_lb tau_ub",
    "studies: study yi shrunk_mean shrunk_lb shrunk_ub",
    NULL};

const cli_cmd_t CLI_CMD_BAYES = {
    .md_columns = MD_COLUMNS,
    .name = "bayes",
    .summary = "Bayesian random-effects meta-analysis (prior on tau, quadrature)",
    .help = HELP, .help_parts = {CLI_COMMON_HELP}, .options = OPTIONS,
    .self_size = sizeof(bayes_t), .min_k = 1, .k_style = CLI_K_NONE_USABLE, .init = init,
    .option = option, .run = run, .clear = clear,
};
