/* iastm mv: dependent effect sizes — multilevel and CHE models with CR2 robust inference. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "command.h"
#include "iastm/mv.h"

enum { OPT_OBS = OPT_CMD_BASE, OPT_RHO, OPT_CHE, OPT_ARM, OPT_MODS, OPT_NO_SIGMA2_CI };

#define CHE_RHO 0.6

static const char HELP[] =
    "Usage: iastm mv --cluster COL [OPTIONS] FILE.csv\n"
    "Dependent effect sizes (several outcomes, instruments, time points or comparisons per\n"
    "study): a three-level model, effects (obs) nested in clusters, as R metafor's\n"
    "rma.mv(yi, V, random = ~ 1 | cluster/obs): the pooled estimate (z test), the variance\n"
    "components sigma^2 of clusters and of effects within clusters with profile-likelihood\n"
    "CIs, the Q test, and cluster-robust inference (CR2 sandwich with Satterthwaite df, as\n"
    "clubSandwich's coef_test and conf_int). With --rho (or --che), the correlated and\n"
    "hierarchical effects (CHE) model: sampling errors of two effects of one cluster\n"
    "correlate rho (V as metafor's vcalc(vi, cluster, obs, rho)), and the text output adds\n"
    "a sensitivity table over rho = 0.2, 0.4, 0.6, 0.8. Rows of a trial that compare\n"
    "different comparator arms with one IASTM arm (column --arm, default comp_arm when the\n"
    "file has it) share that arm: their covariance follows vcalc with grp1/grp2 and the\n"
    "group sizes as w1/w2. Each step works cluster by cluster (no k x k matrix).\n"
    "\n%s"
    "Model options:\n"
    "  --obs COL            the effect within its cluster (default: each row its own);\n"
    "                       rows of a cluster with one obs share its random effect\n"
    "  --rho R              CHE: sampling correlation R (-1 < R < 1) of two effects of\n"
    "                       one cluster with different obs\n"
    "  --che                CHE with rho = 0.6\n"
    "  --arm COL            the comparator arm of each row (default: comp_arm if present)\n"
    "  --mods COL[,COL...]  moderators, as 'iastm regress'\n"
    "  -m, --method M       REML (default) or ML\n"
    "  --level PCT          confidence level in percent (default 95)\n"
    "  --no-sigma2-ci       skip the profile-likelihood CIs of the variance components\n"
    "\nExamples:\n"
    "  iastm mv --cluster cluster --obs obs data/examples/konstantopoulos2011.csv\n"
    "  iastm mv --cluster cluster --obs obs --rho 0.6 --format json "
    "data/examples/konstantopoulos2011.csv\n"
    "  iastm mv --che --where outcome=rom data/trials.csv\n";

typedef struct {
    ma_mv_opts_t o;
    const char *obs, *arm;
    cli_mods_t mods;
} mv_cli_t;

/* The model's rows: ids, arrays for ma_mv_fit, the design; all owned. */
typedef struct {
    ma_mv_data_t md;
    size_t *cluster, *obs, *grp1, *grp2;
    double *yi, *vi, *w1, *w2;
    const char **label;
    ma_design_t *x;
} mv_rows_t;

static void rows_free(mv_rows_t *r)
{
    free(r->cluster);
    free(r->obs);
    free(r->grp1);
    free(r->grp2);
    free(r->yi);
    free(r->vi);
    free(r->w1);
    free(r->w2);
    free(r->label);
    ma_design_free(r->x);
}

/* Build the rows from the dataset: the design (moderators), then cluster, obs and arm ids
 * of the rows in the model. Returns an exit status after reporting. */
static int rows_build(const mv_cli_t *m, const ma_dataset_t *d, mv_rows_t *r)
{
    const ma_table_t *t = d->table;
    size_t i, j, k, ng, *use = NULL;
    const char **cells = NULL;
    long ocol = -1, acol = -1;
    int rc = 1;
    ma_error_t err;

    memset(r, 0, sizeof *r);
    if (m->obs && (ocol = ma_table_col(t, m->obs)) < 0)
        return cli_usage_error("mv", "--obs: no column '%s' in %s", m->obs, t->path);
    if (m->arm && (acol = ma_table_col(t, m->arm)) < 0)
        return cli_usage_error("mv", "--arm: no column '%s' in %s", m->arm, t->path);
    if (!m->arm)
        acol = ma_table_col(t, "comp_arm");
    if (m->mods.n) {
        for (j = 0; j < m->mods.n; j++)
            if (ma_table_col(t, m->mods.names[j]) < 0)
                return cli_usage_error("mv", "--mods: no column '%s' in %s", m->mods.names[j],
                                       t->path);
        if (!(cells = malloc(d->k * m->mods.n * sizeof *cells)))
            goto oom;
        for (i = 0; i < d->k; i++)
            for (j = 0; j < m->mods.n; j++)
                cells[i * m->mods.n + j] = ma_dataset_cell(d, d->idx[i], m->mods.names[j]);
        if (ma_design_build(m->mods.names, m->mods.n, cells, d->k, &r->x, &err) != MA_OK) {
            char buf[1400];
            fprintf(stderr, "iastm mv: %s: %s\n", t->path,
                    ma_error_format(&err, buf, sizeof buf));
            free(cells);
            return err.code == MA_ENOMEM ? 1 : 2;
        }
        free(cells);
        cells = NULL;
        k = r->x->k;
    } else {
        k = d->k;
    }
    use = malloc((k ? k : 1) * sizeof *use);
    r->cluster = malloc((k ? k : 1) * sizeof *r->cluster);
    r->obs = malloc((k ? k : 1) * sizeof *r->obs);
    r->yi = malloc((k ? k : 1) * sizeof *r->yi);
    r->vi = malloc((k ? k : 1) * sizeof *r->vi);
    r->label = malloc((k ? k : 1) * sizeof *r->label);
    cells = malloc((k ? k : 1) * sizeof *cells);
    if (!use || !r->cluster || !r->obs || !r->yi || !r->vi || !r->label || !cells)
        goto oom;
    for (i = 0; i < k; i++) {
        const ma_study_t *s;
        use[i] = d->idx[r->x ? r->x->rows[i] : i];
        s = &d->s[use[i]];
        r->yi[i] = s->yi;
        r->vi[i] = s->vi;
        r->label[i] = ma_table_cell(t, s->row, d->cluster);
        if (ma_is_missing(r->label[i])) {
            fprintf(stderr, "iastm: %s:%ld: column '%s': missing cluster value\n", t->path,
                    s->line, t->header[d->cluster]);
            rc = 2;
            goto fail;
        }
    }
    if (ma_group_ids(r->label, k, r->cluster, &ng, &err) != MA_OK)
        goto oom;
    r->md.nclusters = ng;
    if (ocol >= 0) {
        for (i = 0; i < k; i++) {
            cells[i] = ma_table_cell(t, d->s[use[i]].row, ocol);
            if (ma_is_missing(cells[i])) {
                fprintf(stderr, "iastm: %s:%ld: column '%s': missing obs value\n", t->path,
                        d->s[use[i]].line, m->obs);
                rc = 2;
                goto fail;
            }
        }
        if (ma_group_ids(cells, k, r->obs, &ng, &err) != MA_OK)
            goto oom;
    } else {
        for (i = 0; i < k; i++)
            r->obs[i] = i;
    }
    if (acol >= 0) {
        /* grp1: the IASTM arm, one per cluster; grp2: 1 + the comparator arm's id. */
        r->grp1 = calloc(k ? k : 1, sizeof *r->grp1);
        r->grp2 = malloc((k ? k : 1) * sizeof *r->grp2);
        r->w1 = malloc((k ? k : 1) * sizeof *r->w1);
        r->w2 = malloc((k ? k : 1) * sizeof *r->w2);
        if (!r->grp1 || !r->grp2 || !r->w1 || !r->w2)
            goto oom;
        for (i = 0; i < k; i++)
            cells[i] = ma_table_cell(t, d->s[use[i]].row, acol);
        if (ma_group_ids(cells, k, r->grp2, &ng, &err) != MA_OK)
            goto oom;
        for (i = 0; i < k; i++) {
            const ma_study_t *s = &d->s[use[i]];
            int known = s->n1 > 0 && s->n2 > 0;
            r->grp2[i] += 1;
            r->w1[i] = known ? s->n1 : 1;
            r->w2[i] = known ? s->n2 : 1;
        }
    }
    r->md.k = k;
    r->md.yi = r->yi;
    r->md.vi = r->vi;
    r->md.cluster = r->cluster;
    r->md.obs = r->obs;
    r->md.grp1 = r->grp1;
    r->md.grp2 = r->grp2;
    r->md.w1 = r->w1;
    r->md.w2 = r->w2;
    r->md.X = r->x ? r->x->X : NULL;
    r->md.p = r->x ? r->x->p : 1;
    r->md.cluster_label = r->label;
    free(use);
    free(cells);
    return 0;
oom:
    fprintf(stderr, "iastm mv: out of memory\n");
    rc = 1;
fail:
    free(use);
    free(cells);
    rows_free(r);
    memset(r, 0, sizeof *r);
    return rc;
}

static const char *term(const mv_rows_t *rows, size_t j)
{
    return rows->x ? rows->x->term[j] : "intrcpt";
}

static void text_report(FILE *f, const ma_mv_t *r, const mv_rows_t *rows, const char *clcol,
                        const char *obscol, const char *measure, double level)
{
    char a[32], b[32], c[32], d[32], e[32], g[32], h[32];
    size_t j;
    fprintf(f, "Multilevel Meta-Analysis Model (k = %zu; method: %s)\n", r->k,
            r->method == MA_MV_REML ? "REML" : "ML");
    if (isnan(r->rho))
        fprintf(f, "Sampling errors independent (V = diag(vi)); random effects ~ 1 | %s/%s\n",
                clcol, obscol);
    else
        fprintf(f, "Correlated and hierarchical effects (CHE): sampling errors of one cluster "
                   "correlate rho = %g;\nrandom effects ~ 1 | %s/%s\n",
                r->rho, clcol, obscol);
    fprintf(f, "\nlogLik = %s   AIC = %s   BIC = %s\n", cli_num(r->logLik, a, 32),
            cli_num(r->AIC, b, 32), cli_num(r->BIC, c, 32));
    fprintf(f, "\nVariance Components:\n\n");
    fprintf(f, "                estim     sqrt  nlvls  factor           %g%% CI (profile)\n",
            100 * level);
    fprintf(f, "sigma^2.1  %10s %8s %6zu  %-15s  [%s, %s]\n", cli_num(r->sigma2_cluster, a, 32),
            cli_num(sqrt(r->sigma2_cluster), b, 32), r->nclusters, clcol,
            cli_num(r->sigma2_cluster_lb, c, 32), cli_num(r->sigma2_cluster_ub, d, 32));
    {
        char fac[300];
        snprintf(fac, sizeof fac, "%s/%s", clcol, obscol);
        fprintf(f, "sigma^2.2  %10s %8s %6zu  %-15s  [%s, %s]\n",
                cli_num(r->sigma2_obs, a, 32), cli_num(sqrt(r->sigma2_obs), b, 32), r->nobs,
                fac, cli_num(r->sigma2_obs_lb, c, 32), cli_num(r->sigma2_obs_ub, d, 32));
    }
    fprintf(f, "\nTest for %sHeterogeneity:\nQ%s(df = %.0f) = %s, p-val %s%s\n",
            r->p > 1 ? "Residual " : "", r->p > 1 ? "E" : "", r->Q_df, cli_num(r->Q, a, 32),
            r->Q_p < 1e-4 ? "" : "= ", cli_pval(r->Q_p, b, 32));
    if (r->p > 1)
        fprintf(f, "\nTest of Moderators (coefficients 2:%zu):\nQM(df = %.0f) = %s, p-val %s%s\n",
                r->p, r->QM_df, cli_num(r->QM, a, 32), r->QM_p < 1e-4 ? "" : "= ",
                cli_pval(r->QM_p, b, 32));
    fprintf(f, "\nModel Results (%s; z tests):\n\n", measure);
    fprintf(f, "%-14s %9s %9s %9s %9s %9s %9s\n", "", "estimate", "se", "zval", "pval",
            "ci.lb", "ci.ub");
    for (j = 0; j < r->p; j++)
        fprintf(f, "%-14s %9s %9s %9s %9s %9s %9s\n", term(rows, j), cli_num(r->b[j], a, 32),
                cli_num(r->se[j], b, 32), cli_num(r->stat[j], c, 32),
                cli_pval(r->pval[j], d, 32), cli_num(r->ci_lb[j], e, 32),
                cli_num(r->ci_ub[j], g, 32));
    fprintf(f, "\nCluster-robust inference (CR2, Satterthwaite df; %zu clusters):\n\n",
            r->nclusters);
    fprintf(f, "%-14s %9s %9s %9s %9s %9s %9s %9s\n", "", "estimate", "se", "tval", "df",
            "pval", "ci.lb", "ci.ub");
    for (j = 0; j < r->p; j++)
        fprintf(f, "%-14s %9s %9s %9s %9s %9s %9s %9s\n", term(rows, j),
                cli_num(r->b[j], a, 32), cli_num(r->rve_se[j], b, 32),
                cli_num(r->rve_stat[j], c, 32), cli_num(r->rve_df[j], d, 32),
                cli_pval(r->rve_p[j], e, 32), cli_num(r->rve_ci_lb[j], g, 32),
                cli_num(r->rve_ci_ub[j], h, 32));
    if (r->note[0])
        fprintf(f, "\nNote: %s.\n", r->note);
}

/* One record per coefficient; the model-level fields repeated so that csv is one table. */
static void records(ma_writer_t *w, const ma_mv_t *r, const mv_rows_t *rows,
                    const char *measure)
{
    size_t j;
    ma_writer_section(w, "mv");
    for (j = 0; j < r->p; j++) {
        ma_writer_begin(w);
        ma_writer_str(w, "model", isnan(r->rho) ? "multilevel" : "che");
        ma_writer_str(w, "measure", measure);
        ma_writer_str(w, "term", term(rows, j));
        ma_writer_int(w, "k", (long)r->k);
        ma_writer_int(w, "clusters", (long)r->nclusters);
        ma_writer_int(w, "obs_levels", (long)r->nobs);
        ma_writer_str(w, "method", r->method == MA_MV_REML ? "REML" : "ML");
        ma_writer_num(w, "rho", r->rho);
        cli_coef_fields(w, r->b[j], r->se[j], r->stat[j], r->pval[j], r->ci_lb[j], r->ci_ub[j]);
        ma_writer_num(w, "rve_se", r->rve_se[j]);
        ma_writer_num(w, "rve_stat", r->rve_stat[j]);
        ma_writer_num(w, "rve_df", r->rve_df[j]);
        ma_writer_num(w, "rve_p", r->rve_p[j]);
        ma_writer_num(w, "rve_ci_lb", r->rve_ci_lb[j]);
        ma_writer_num(w, "rve_ci_ub", r->rve_ci_ub[j]);
        ma_writer_num(w, "sigma2_cluster", r->sigma2_cluster);
        ma_writer_num(w, "sigma2_cluster_lb", r->sigma2_cluster_lb);
        ma_writer_num(w, "sigma2_cluster_ub", r->sigma2_cluster_ub);
        ma_writer_num(w, "sigma2_obs", r->sigma2_obs);
        ma_writer_num(w, "sigma2_obs_lb", r->sigma2_obs_lb);
        ma_writer_num(w, "sigma2_obs_ub", r->sigma2_obs_ub);
        ma_writer_num(w, "Q", r->Q);
        ma_writer_num(w, "Q_df", r->Q_df);
        ma_writer_num(w, "Q_p", r->Q_p);
        ma_writer_num(w, "QM", r->QM);
        ma_writer_num(w, "QM_df", r->QM_df);
        ma_writer_num(w, "QM_p", r->QM_p);
        ma_writer_num(w, "logLik", r->logLik);
        ma_writer_num(w, "AIC", r->AIC);
        ma_writer_num(w, "BIC", r->BIC);
        ma_writer_bool(w, "converged", r->converged);
        ma_writer_str(w, "note", r->note);
        ma_writer_end(w);
    }
}

/* CHE refits over rho = 0.2 ... 0.8 (the first coefficient). */
static const double SENS_RHO[] = {0.2, 0.4, 0.6, 0.8};
#define NSENS (sizeof SENS_RHO / sizeof SENS_RHO[0])

static int sensitivity(const mv_rows_t *rows, const ma_mv_opts_t *o, ma_mv_t *fits)
{
    size_t i;
    ma_error_t err;
    for (i = 0; i < NSENS; i++) {
        ma_mv_opts_t oo = *o;
        oo.rho = SENS_RHO[i];
        oo.sigma2_ci = 0;
        if (ma_mv_fit(&rows->md, &oo, &fits[i], &err) != MA_OK)
            memset(&fits[i], 0, sizeof fits[i]);
    }
    return 0;
}

static void sensitivity_text(FILE *f, const ma_mv_t *fits, const char *name)
{
    char a[32], b[32], c[32], d[32], e[32], g[32], h[32], l[32], u[32];
    size_t i;
    fprintf(f, "\nSensitivity to rho (CHE, %s):\n\n", name);
    fprintf(f, "%5s %9s %9s %9s %9s %9s %9s %9s %10s %10s\n", "rho", "estimate", "se",
            "rve_se", "rve_df", "rve_p", "rve_ci.lb", "rve_ci.ub", "sigma2.1", "sigma2.2");
    for (i = 0; i < NSENS; i++) {
        const ma_mv_t *r = &fits[i];
        if (!r->b) {
            fprintf(f, "%5.1f  (model could not be fitted)\n", SENS_RHO[i]);
            continue;
        }
        fprintf(f, "%5.1f %9s %9s %9s %9s %9s %9s %9s %10s %10s\n", SENS_RHO[i],
                cli_num(r->b[0], a, 32), cli_num(r->se[0], b, 32), cli_num(r->rve_se[0], c, 32),
                cli_num(r->rve_df[0], d, 32), cli_pval(r->rve_p[0], e, 32),
                cli_num(r->rve_ci_lb[0], g, 32), cli_num(r->rve_ci_ub[0], u, 32),
                cli_num(r->sigma2_cluster, h, 32), cli_num(r->sigma2_obs, l, 32));
    }
}

static void sensitivity_records(ma_writer_t *w, const ma_mv_t *fits)
{
    size_t i;
    ma_writer_section(w, "rho_sensitivity");
    for (i = 0; i < NSENS; i++) {
        const ma_mv_t *r = &fits[i];
        int ok = r->b != NULL;
        ma_writer_begin(w);
        ma_writer_num(w, "rho", SENS_RHO[i]);
        ma_writer_num(w, "estimate", ok ? r->b[0] : NAN);
        ma_writer_num(w, "se", ok ? r->se[0] : NAN);
        ma_writer_num(w, "rve_se", ok ? r->rve_se[0] : NAN);
        ma_writer_num(w, "rve_df", ok ? r->rve_df[0] : NAN);
        ma_writer_num(w, "rve_p", ok ? r->rve_p[0] : NAN);
        ma_writer_num(w, "rve_ci_lb", ok ? r->rve_ci_lb[0] : NAN);
        ma_writer_num(w, "rve_ci_ub", ok ? r->rve_ci_ub[0] : NAN);
        ma_writer_num(w, "sigma2_cluster", ok ? r->sigma2_cluster : NAN);
        ma_writer_num(w, "sigma2_obs", ok ? r->sigma2_obs : NAN);
        ma_writer_end(w);
    }
}

static int parse_opt(mv_cli_t *m, int opt, const char *arg)
{
    double x;
    switch (opt) {
    case OPT_OBS:
        m->obs = arg;
        return 1;
    case OPT_ARM:
        m->arm = arg;
        return 1;
    case OPT_RHO:
        if (ma_parse_double(arg, &x) != MA_NUM_OK || !(x > -1 && x < 1)) {
            cli_usage_error("mv", "--rho must be a number between -1 and 1 (exclusive), "
                                  "got '%s'", arg);
            return -1;
        }
        m->o.rho = x;
        return 1;
    case OPT_CHE:
        if (isnan(m->o.rho))
            m->o.rho = CHE_RHO;
        return 1;
    case OPT_NO_SIGMA2_CI:
        m->o.sigma2_ci = 0;
        return 1;
    case OPT_METHOD:
        if (!strcasecmp(arg, "REML"))
            m->o.method = MA_MV_REML;
        else if (!strcasecmp(arg, "ML"))
            m->o.method = MA_MV_ML;
        else {
            cli_usage_error("mv", "unknown method '%s' (expected REML or ML)", arg);
            return -1;
        }
        return 1;
    case OPT_LEVEL:
        if (cli_parse_double("mv", "--level", arg, 0, 100, &x) < 0)
            return -1;
        m->o.level = x / 100;
        return 1;
    case OPT_MODS:
        return cli_mods_parse(&m->mods, "mv", arg, CLI_MAX_MODS);
    default:
        return 0;
    }
}

int cli_mv_fit_rows(const ma_dataset_t *d, double rho, double level, ma_mv_t *r)
{
    mv_cli_t m;
    mv_rows_t rows;
    ma_error_t err;
    int rc;
    memset(&m, 0, sizeof m);
    memset(r, 0, sizeof *r);
    ma_mv_opts_init(&m.o);
    m.o.rho = rho;
    m.o.level = level;
    m.o.sigma2_ci = 0;
    if (d->cluster < 0)
        return cli_usage_error(NULL, "no cluster column (--cluster COL)");
    if ((rc = rows_build(&m, d, &rows)) != 0)
        return rc;
    if (ma_mv_fit(&rows.md, &m.o, r, &err) != MA_OK)
        rc = cli_report(&err);
    rows_free(&rows);
    return rc;
}

typedef struct {
    mv_cli_t m;
    mv_rows_t rows;
    ma_mv_t r, sens[NSENS];
    int che;
} mv_t;

static void init(cli_ctx_t *x)
{
    ma_mv_opts_init(&((mv_t *)x->self)->m.o);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    return parse_opt(&((mv_t *)x->self)->m, opt, arg);
}

/* The rows not pooled are listed without the dependence note: the model handles it. */
static int loaded(cli_ctx_t *x)
{
    const ma_dataset_t *d = x->d;
    if (d->cluster < 0)
        return cli_usage_error("mv", "%s has no study_id column: name the clusters with "
                                     "--cluster COL", x->t->path);
    if (d->k == 0) {
        fprintf(stderr, "iastm mv: %s: no poolable rows (%zu row%s, none usable)\n",
                x->t->path, d->n, d->n == 1 ? "" : "s");
        cli_not_pooled_text(stderr, d);
        return 2;
    }
    return 0;
}

static void text(cli_ctx_t *x, FILE *f)
{
    mv_t *u = x->self;
    const ma_dataset_t *d = x->d;
    text_report(f, &u->r, &u->rows, x->t->header[d->cluster], u->m.obs ? u->m.obs : "row",
                cli_measure_name(&x->c, d), u->m.o.level);
    if (u->che)
        sensitivity_text(f, u->sens, term(&u->rows, 0));
    cli_design_missing_text(f, d, u->rows.x, "Left out for a missing moderator");
    cli_not_pooled_text(f, d);
}

static void write_records(cli_ctx_t *x, ma_writer_t *w)
{
    mv_t *u = x->self;
    records(w, &u->r, &u->rows, cli_measure_name(&x->c, x->d));
    if (u->che)
        sensitivity_records(w, u->sens);
    cli_not_pooled_records(w, x->d);
}

static int run(cli_ctx_t *x)
{
    mv_t *u = x->self;
    ma_error_t err;
    int rc;
    if ((rc = rows_build(&u->m, x->d, &u->rows)) != 0)
        return rc;
    if (ma_mv_fit(&u->rows.md, &u->m.o, &u->r, &err) != MA_OK)
        return cli_fit_error(x, &err);
    u->che = !isnan(u->m.o.rho);
    if (u->che)
        sensitivity(&u->rows, &u->m.o, u->sens);
    return cli_emit(x, text, write_records);
}

static void clear(cli_ctx_t *x)
{
    mv_t *u = x->self;
    size_t i;
    for (i = 0; i < NSENS; i++)
        ma_mv_clear(&u->sens[i]);
    ma_mv_clear(&u->r);
    rows_free(&u->rows);
    cli_mods_free(&u->m.mods);
}

static const struct option OPTIONS[] = {
    {"obs", required_argument, NULL, OPT_OBS},
    {"rho", required_argument, NULL, OPT_RHO},
    {"che", no_argument, NULL, OPT_CHE},
    {"arm", required_argument, NULL, OPT_ARM},
    {"mods", required_argument, NULL, OPT_MODS},
    {"method", required_argument, NULL, OPT_METHOD},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"no-sigma2-ci", no_argument, NULL, OPT_NO_SIGMA2_CI},
    CLI_OPT_END};

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "mv: model term k clusters estimate se pval ci_lb ci_ub rve_p rve_ci_lb rve_ci_ub sigma2_cluster sigma2_obs",
    "rho_sensitivity: rho estimate rve_se rve_p rve_ci_lb rve_ci_ub",
    NULL};

const cli_cmd_t CLI_CMD_MV = {
    .md_columns = MD_COLUMNS,
    .name = "mv", .summary = "dependent effects: multilevel / CHE model, CR2 robust inference",
    .help = HELP, .help_parts = {CLI_COMMON_HELP}, .options = OPTIONS, .shortopts = "m:",
    .self_size = sizeof(mv_t), .init = init, .option = option, .loaded = loaded, .run = run,
    .clear = clear,
};
