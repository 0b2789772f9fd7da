/* iastm forest: forest plots (studies, subgroups, leave-one-out, cumulative) via gnuplot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "command.h"
#include "bayes_cli.h"
#include "iastm/codemap.h"
#include "iastm/cumul.h"
#include "iastm/loo.h"
#include "iastm/subgroup.h"
#include "iastm/mv.h"
#include "iastm/dependence.h"

enum { OPT_BY = OPT_CMD_BASE, OPT_FAV_LEFT, OPT_FAV_RIGHT, OPT_XLIM, OPT_XLABEL, OPT_TYPE,
       OPT_EXTRA, OPT_ORDER, OPT_NO_HET, OPT_BAYES, OPT_RHO, OPT_LABELS, OPT_ARM_LABELS,
       OPT_COMPARATOR, OPT_TRANSF };

static const char HELP[] =
    "Usage: iastm forest [OPTIONS] -o FILE.png|svg|pdf FILE.csv\n"
    "Forest plot drawn by gnuplot: study labels, per-arm n and mean (SD) when the data\n"
    "have them, weights, effects with confidence intervals (squares sized by weight),\n"
    "the pooled diamond, the prediction interval, heterogeneity and tests; rows that\n"
    "could not be pooled are listed under the plot.\n"
    "\n%s%s%s"
    "Forest options:\n"
    "  --type study|loo|cumul  studies (default), leave-one-out estimates, or the\n"
    "                       cumulative meta-analysis\n"
    "  --by COL             subgroups: a block per value of COL with its own diamond and\n"
    "                       heterogeneity, then the overall diamond and the test for\n"
    "                       subgroup differences (weights are those of the overall model)\n"
    "  --order COL          --type cumul: add studies in increasing COL (default: input order)\n"
    "  --extra COL          a column for design or risk of bias (default: a column named\n"
    "                       rob or risk_of_bias when present)\n"
    "  --comparator COL     a comparator column when the rows have two or more values\n"
    "                       of COL (default: comparator_class when present)\n"
    "  --labels FILE        words for codes in headings and columns: a CSV with columns\n"
    "                       column,code,label (an empty column names a header); built\n"
    "                       in: the codes of the trial schema (manual_mfr reads\n"
    "                       'Hands-on myofascial release'); other codes print as they are\n"
    "  --arm-labels A,B     headers of the two arms (default IASTM,Comparator for a\n"
    "                       trials file, else Treatment,Control)\n"
    "  --favours-left TEXT  under the axis, left (trials file: 'Favours comparator';\n"
    "                       other data: none, as the direction is not known)\n"
    "  --favours-right TEXT under the axis, right (trials file: 'Favours IASTM')\n"
    "  --transf exp         effects given as log ratios (yi = log OR, log RR): numbers as\n"
    "                       ratios, the axis on the log scale labelled in ratios, --xlim\n"
    "                       in ratios (refused for SMD and MD, which are not logs)\n"
    "  --xlabel TEXT        axis label (default: the measure, e.g. Hedges' g)\n"
    "  --xlim A,B           axis range; intervals beyond it end in arrows\n"
    "  --no-heterogeneity   leave out the heterogeneity lines\n"
    "  --bayes              Bayesian random-effects model (as 'iastm bayes'): beside each\n"
    "                       observed effect its posterior (shrunken) effect, the posterior\n"
    "                       of mu as the diamond, the new-study effect as the bar\n"
    "  --tau-prior PRIOR    with --bayes: prior on tau (default halfnormal:0.5)\n"
    "  --mu-prior P         with --bayes: flat (default) or normal:M:S\n"
    "  --cluster COL        rows grouped by cluster (study) with the diamond of the\n"
    "                       multilevel model of 'iastm mv' (CR2 cluster-robust CI)\n"
    "  --rho R              with --cluster: the CHE model with sampling correlation R\n"
    "\nExamples:\n"
    "  iastm forest -o plots/pain.png --primary --where outcome=pain --by region data/trials.csv\n"
    "  iastm forest -o bcg.pdf --by alloc --favours-left 'Favours vaccine' \\\n"
    "      --favours-right 'Favours control' --xlabel 'Log risk ratio' data/examples/bcg.csv\n"
    "  iastm forest --width 3.5in -o pain.pdf --primary --where outcome=pain data/trials.csv\n"
    "  iastm forest --type loo -o loo.svg data/examples/bcg.csv\n"
    "  iastm forest --transf exp --xlabel 'Risk ratio' --by alloc --labels \\\n"
    "      data/examples/labels.csv -o bcg_rr.png data/examples/bcg.csv\n"
    "  iastm forest --label '{citation} ({site})' --primary --where outcome=pain \\\n"
    "      -o pain.svg data/trials.csv\n"
    "  iastm forest --cluster cluster -o k.png data/examples/konstantopoulos2011.csv\n"
    "  iastm forest --bayes --tau-prior halfnormal:0.5 -o bayes.png data/examples/normand1999.csv\n"
    "  iastm forest --dry-run --script - -o x.png data/examples/bcg.csv   (print the script)\n";

typedef enum { TYPE_STUDY, TYPE_LOO, TYPE_CUMUL } ftype_t;

/* Two decimals, or more for small values, as the plot's other numbers. */
static void plot_fmt_num_cli(char *buf, size_t n, double x)
{
    if (isnan(x))
        snprintf(buf, n, "NA");
    else if (fabs(x) < 0.01 && x != 0)
        snprintf(buf, n, "%.2g", x);
    else
        snprintf(buf, n, "%.2f", x);
}

static int parse_xlim(const char *arg, double *lo, double *hi)
{
    const char *comma = strchr(arg, ',');
    char a[64];
    size_t n;
    if (!comma || (n = (size_t)(comma - arg)) == 0 || n >= sizeof a)
        return -1;
    memcpy(a, arg, n);
    a[n] = '\0';
    if (ma_parse_double(a, lo) != MA_NUM_OK || ma_parse_double(comma + 1, hi) != MA_NUM_OK)
        return -1;
    return isfinite(*lo) && isfinite(*hi) && *lo < *hi ? 0 : -1;
}

/* What a study row shows beyond ma_forest_study_row: the extra cell and the comparator
 * in words. */
typedef struct {
    const char *extra, *comp;
    const ma_codemap_t *map;
} rowctx_t;

static void study_row(const rowctx_t *rc, const ma_dataset_t *d, size_t s, double z,
                      ma_forest_row_t *r)
{
    ma_forest_study_row(d, s, rc->extra, z, r);
    if (r->extra)
        r->extra = ma_codemap_get(rc->map, rc->extra, r->extra);
    if (rc->comp)
        r->comparator = ma_codemap_get(rc->map, rc->comp, ma_dataset_cell(d, s, rc->comp));
}

/* forest --cluster: the rows grouped by cluster (in order of first appearance, no
 * subgroup diamonds) and the overall diamond of the multilevel / CHE model with its CR2
 * cluster-robust CI and test (as iastm mv). Returns an exit status. */
static int forest_clusters(const ma_dataset_t *d, const rowctx_t *rctx, double z, double rho,
                           double level, ma_mv_t *mv, ma_forest_row_t *rows,
                           ma_forest_group_t **groups, ma_forest_t *f, ma_rma_t *overall,
                           char *label, size_t nlabel, char *note, size_t nnote,
                           char **labels)
{
    const char **keys = malloc(d->k * sizeof *keys);
    size_t *id = malloc(d->k * sizeof *id), ng, g, j, r = 0;
    ma_error_t err;
    int rc;
    char a[32], b[32];
    if (!keys || !id || !(rows && d->k))
        goto oom;
    for (j = 0; j < d->k; j++)
        keys[j] = ma_table_cell(d->table, d->s[d->idx[j]].row, d->cluster);
    if (ma_group_ids(keys, d->k, id, &ng, &err) != MA_OK ||
        !(*groups = calloc(ng, sizeof **groups)))
        goto oom;
    for (g = 0; g < ng; g++) {
        (*groups)[g].first = r;
        (*groups)[g].fit = NULL;
        (*groups)[g].weight = NAN;
        for (j = 0; j < d->k; j++)
            if (id[j] == g) {
                /* a cluster of one study's rows is headed by the study's citation */
                if (r == (*groups)[g].first)
                    (*groups)[g].name = !*keys[j] ? "(missing)"
                                        : d->cluster == d->col[MA_COL_STUDY]
                                            ? d->s[d->idx[j]].cite : keys[j];
                /* within a cluster, name the effect: its own label, else the instrument,
                 * else its line */
                const char *lab = d->s[d->idx[j]].cite, *ins = "";
                study_row(rctx, d, d->idx[j], z, &rows[r]);
                if (ma_table_col(d->table, "instrument") >= 0)
                    ins = ma_dataset_cell(d, d->idx[j], "instrument");
                if (!*lab || strcmp(lab, keys[j]) == 0 ||
                    strcmp(lab, (*groups)[g].name) == 0) {
                    if (!(labels[r] = malloc(strlen(ins) + 32)))
                        goto oom;
                    if (*ins)
                        snprintf(labels[r], strlen(ins) + 32, "%s", ins);
                    else
                        snprintf(labels[r], 32, "line %ld", d->s[d->idx[j]].line);
                    rows[r].label = labels[r];
                }
                r++;
            }
        (*groups)[g].count = r - (*groups)[g].first;
    }
    free(keys);
    free(id);
    if ((rc = cli_mv_fit_rows(d, rho, level, mv)) != 0)
        return rc;
    memset(overall, 0, sizeof *overall);
    overall->k = mv->k;
    overall->estimate = mv->b[0];
    overall->se = mv->rve_se[0];
    overall->ci_lb = mv->rve_ci_lb[0];
    overall->ci_ub = mv->rve_ci_ub[0];
    overall->stat = mv->rve_stat[0];
    overall->pval = mv->rve_p[0];
    overall->df = mv->rve_df[0];
    overall->pi_lb = overall->pi_ub = NAN;
    overall->method_used = MA_METHOD_REML;
    if (isnan(rho))
        snprintf(label, nlabel, "Multilevel model (%s), CR2 CI", mv->method == MA_MV_REML ? "REML" : "ML");
    else
        snprintf(label, nlabel, "CHE model (\xcf\x81 = %g), CR2 CI", rho);
    cli_num(mv->sigma2_cluster, a, sizeof a);
    cli_num(mv->sigma2_obs, b, sizeof b);
    snprintf(note, nnote, "\xcf\x83\xc2\xb2 between clusters = %s, within = %s; %zu clusters, "
             "%zu effects; CR2 df = %.1f%s", a, b, mv->nclusters, mv->k, mv->rve_df[0],
             mv->nclusters < 4 || mv->rve_df[0] < 4 ? " (below 4: unreliable)" : "");
    f->groups = *groups;
    f->ngroups = ng;
    f->overall = overall;
    f->overall_note = note;
    return 0;
oom:
    free(keys);
    free(id);
    fprintf(stderr, "iastm forest: out of memory\n");
    return 1;
}

typedef struct {
    ma_forest_opts_t fo;
    const char *by, *extra, *order, *labels_file, *comp;
    const char *arm[2];
    char arm_buf[512];
    int fav_left_set, fav_right_set, xlim_set;
    ma_codemap_t map;
    ftype_t type;
    double rho;
    int bayes, prior_set, bayes_opt;
    ma_bayes_opts_t bo;
} forest_t;

static void init(cli_ctx_t *x)
{
    forest_t *u = x->self;
    ma_forest_opts_init(&u->fo);
    u->fo.favours_left = u->fo.favours_right = NULL;
    ma_codemap_init(&u->map);
    u->fo.xlabel = NULL;
    u->type = TYPE_STUDY;
    u->rho = NAN;
    ma_bayes_opts_init(&u->bo);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    forest_t *u = x->self;
    switch (opt) {
    case OPT_BY: u->by = arg; return 1;
    case OPT_FAV_LEFT: u->fo.favours_left = *arg ? arg : NULL; u->fav_left_set = 1; return 1;
    case OPT_FAV_RIGHT: u->fo.favours_right = *arg ? arg : NULL; u->fav_right_set = 1; return 1;
    case OPT_LABELS: u->labels_file = arg; return 1;
    case OPT_COMPARATOR: u->comp = arg; return 1;
    case OPT_ARM_LABELS: {
        const char *comma = strchr(arg, ',');
        if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ',') ||
            strlen(arg) >= sizeof u->arm_buf)
            return cli_usage_error("forest", "--arm-labels takes two labels A,B, got '%s'",
                                   arg), -1;
        snprintf(u->arm_buf, sizeof u->arm_buf, "%s", arg);
        u->arm_buf[comma - arg] = '\0';
        u->arm[0] = u->arm_buf;
        u->arm[1] = u->arm_buf + (comma - arg) + 1;
        return 1;
    }
    case OPT_TRANSF:
        if (strcmp(arg, "exp") != 0)
            return cli_usage_error("forest", "unknown --transf '%s' (expected exp)", arg), -1;
        u->fo.transf_exp = 1;
        return 1;
    case OPT_XLABEL: u->fo.xlabel = arg; return 1;
    case OPT_EXTRA: u->extra = arg; return 1;
    case OPT_ORDER: u->order = arg; return 1;
    case OPT_NO_HET: u->fo.show_heterogeneity = 0; return 1;
    case OPT_BAYES: u->bayes = 1; return 1;
    case OPT_TAU_PRIOR:
    case OPT_MU_PRIOR:
        if (cli_bayes_opt(&u->bo, opt, arg, "forest", &u->prior_set) < 0)
            return -1;
        u->bayes_opt = 1;
        return 1;
    case OPT_RHO:
        if (ma_parse_double(arg, &u->rho) != MA_NUM_OK || !(u->rho > -1 && u->rho < 1))
            return cli_usage_error("forest", "--rho must be a number between -1 and 1 "
                                             "(exclusive), got '%s'", arg), -1;
        return 1;
    case OPT_XLIM:
        if (parse_xlim(arg, &u->fo.xlim_lo, &u->fo.xlim_hi) != 0)
            return cli_usage_error("forest", "--xlim takes A,B with A < B, got '%s'", arg), -1;
        u->xlim_set = 1;
        return 1;
    case OPT_TYPE:
        if (!strcmp(arg, "study"))
            u->type = TYPE_STUDY;
        else if (!strcmp(arg, "loo"))
            u->type = TYPE_LOO;
        else if (!strcmp(arg, "cumul"))
            u->type = TYPE_CUMUL;
        else
            return cli_usage_error("forest", "unknown --type '%s' (expected study, loo "
                                             "or cumul)", arg), -1;
        return 1;
    default:
        return 0;
    }
}

static int check(cli_ctx_t *x)
{
    const forest_t *u = x->self;
    const char *cluster = x->c.ds.cluster_col;
    if (u->by && u->type != TYPE_STUDY)
        return cli_usage_error("forest", "--by works with --type study only");
    if (u->order && u->type != TYPE_CUMUL)
        return cli_usage_error("forest", "--order works with --type cumul only");
    if (u->bayes_opt && !u->bayes)
        return cli_usage_error("forest", "--tau-prior and --mu-prior need --bayes");
    if (u->bayes && (u->by || u->type != TYPE_STUDY))
        return cli_usage_error("forest", "--bayes works with --type study and without --by");
    if (cluster && (u->by || u->type != TYPE_STUDY))
        return cli_usage_error("forest", "--cluster works with --type study only, without --by");
    if (!isnan(u->rho) && !cluster)
        return cli_usage_error("forest", "--rho needs --cluster");
    if (u->bayes && cluster)
        return cli_usage_error("forest", "--bayes and --cluster are different models: "
                                         "choose one");
    return 0;
}

/* A default column (not asked for with --extra) is drawn only when some row has a value:
 * an empty risk_of_bias column (not assessed) would be a blank column with a header. */
static int column_has_values(const ma_table_t *t, const char *name)
{
    long c = ma_table_col(t, name);
    size_t r;
    for (r = 0; c >= 0 && r < t->nrow; r++)
        if (!ma_is_missing(ma_table_cell(t, r, c)))
            return 1;
    return 0;
}

static int loaded(cli_ctx_t *x)
{
    forest_t *u = x->self;
    const ma_table_t *t = x->t;
    int rc;
    if ((rc = cli_need_column(x, "--by", u->by)) != 0)
        return rc;
    if ((rc = cli_need_column(x, "--order", u->order)) != 0)
        return rc;
    if ((rc = cli_need_column(x, "--extra", u->extra)) != 0)
        return rc;
    if ((rc = cli_need_column(x, "--comparator", u->comp)) != 0)
        return rc;
    if (!u->comp && ma_table_col(t, "comparator_class") >= 0)
        u->comp = "comparator_class";
    if (u->labels_file) {
        ma_error_t err;
        if (ma_codemap_read(&u->map, u->labels_file, &err) != MA_OK)
            return cli_report_in(&err, u->labels_file);
    }
    if (!u->extra) {
        if (column_has_values(t, "rob"))
            u->extra = "rob";
        else if (column_has_values(t, "risk_of_bias"))
            u->extra = "risk_of_bias";
    }
    return 0;
}

/* Append the rows without a --by value to the plot's excluded list (*n used), with the
 * reason written into `reason` (which must live as long as the list). Returns 0, or -1
 * when out of memory. */
static int add_missing(const ma_dataset_t *d, const char *by, const size_t *miss, size_t nmiss,
                       char *reason, size_t rsize, ma_plot_excluded_t **excl, size_t *n)
{
    ma_plot_excluded_t *e = realloc(*excl, (*n + nmiss) * sizeof *e);
    size_t i;
    if (!e)
        return -1;
    snprintf(reason, rsize, "missing value in the --by column '%s'", by);
    for (i = 0; i < nmiss; i++) {
        const ma_study_t *st = &d->s[d->idx[miss[i]]];
        e[*n + i].label = st->cite;
        e[*n + i].line = st->line;
        e[*n + i].reason = reason;
    }
    *excl = e;
    *n += nmiss;
    return 0;
}

static int run(cli_ctx_t *x)
{
    forest_t *u = x->self;
    const ma_dataset_t *d = x->d;
    const ma_table_t *t = x->t;
    ma_forest_opts_t *fo = &u->fo;
    const char *by = u->by, *extra = u->extra, *order = u->order, *measure;
    ftype_t type = u->type;
    double rho = u->rho;
    ma_forest_t f;
    ma_subgroups_t *sg = NULL;
    ma_forest_row_t *rows = NULL;
    ma_forest_group_t *groups = NULL;
    ma_plot_excluded_t *excl = NULL;
    ma_rma_t overall, *fits = NULL;
    double *w = NULL, z;
    const char **keys = NULL;
    size_t *perm = NULL;
    char **labels = NULL;
    char est_header[128], overall_label[128], mv_note[256], miss_reason[4200];
    ma_mv_t mv;
    ma_gp_script_t s;
    ma_error_t err;
    size_t i, j, k;
    int rc = 0, bayes = u->bayes;
    ma_bayes_opts_t bo = u->bo;
    ma_bayes_t br;
    ma_rma_t bsum;
    char post_header[128], pi_label[128], blines[3][256], fav[2][300];
    const char *btext[3];
    rowctx_t rctx;

    memset(&mv, 0, sizeof mv);
    memset(&br, 0, sizeof br);
    ma_gp_init(&s);
    k = d->k;
    rctx.extra = extra;
    rctx.comp = type == TYPE_STUDY && !(by && u->comp && !strcmp(by, u->comp)) ? u->comp : NULL;
    rctx.map = &u->map;
    measure = cli_measure_name(&x->c, d);
    if (fo->transf_exp && strcmp(measure, "yi as given") != 0) {
        rc = cli_usage_error("forest", "--transf exp back-transforms log ratios (log odds "
                             "or risk ratios given as yi, vi); %s effects are not logs",
                             !strcmp(measure, "MD") ? "mean-difference (MD)"
                                                    : "standardized mean difference (SMD)");
        goto done;
    }
    if (fo->transf_exp && u->xlim_set) {
        /* --xlim in ratios */
        if (!(fo->xlim_lo > 0)) {
            rc = cli_usage_error("forest", "--transf exp: --xlim takes ratios above 0");
            goto done;
        }
        fo->xlim_lo = log(fo->xlim_lo);
        fo->xlim_hi = log(fo->xlim_hi);
    }
    /* Arms and directions: the trial schema knows its arms (IASTM vs comparator) and
     * orients every effect so that positive favours IASTM; other data say neither. */
    fo->arm_labels[0] = u->arm[0] ? u->arm[0] : d->trials ? "IASTM" : "Treatment";
    fo->arm_labels[1] = u->arm[1] ? u->arm[1] : d->trials ? "Comparator" : "Control";
    for (i = 0; i < 2 && d->trials; i++)
        snprintf(fav[i], sizeof fav[i], "Favours %s",
                 u->arm[i] ? u->arm[i] : i ? "comparator" : "IASTM");
    if (d->trials && !u->fav_left_set)
        fo->favours_left = fav[1];
    if (d->trials && !u->fav_right_set)
        fo->favours_right = fav[0];
    if (k == 0 || (type == TYPE_LOO && k < 2)) {
        fprintf(stderr, "iastm forest: %s: %s (%zu row%s)\n", t->path,
                k == 0 ? "no poolable rows" : "leave-one-out needs at least 2 studies", d->n,
                d->n == 1 ? "" : "s");
        cli_excluded_text(stderr, d);
        rc = 2;
        goto done;
    }
    if (!x->c.ds.cluster_col)
        cli_dependence_warn("forest", d);
    if (ma_rma_fit(d->yi, d->vi, k, &x->rma, &overall, &err) != MA_OK) {
        rc = cli_report(&err);
        goto done;
    }
    z = gsl_cdf_ugaussian_Qinv((1 - x->rma.level) / 2);
    if (bayes) {
        bo.level = x->rma.level;
        if ((rc = cli_bayes_defaults("forest", &x->c, d, &bo, u->prior_set)) != 0)
            goto done;
        if (ma_bayes_fit(d->yi, d->vi, k, &bo, &br, &err) != MA_OK) {
            rc = err.code == MA_EUSAGE ? cli_usage_error("forest", "--tau-prior: %s", err.msg)
                                       : cli_report(&err);
            goto done;
        }
    }
    if (!fo->xlabel)
        fo->xlabel = fo->transf_exp ? "Ratio (log scale)" : cli_measure_axis(measure);
    snprintf(est_header, sizeof est_header, "%s [%g%% CI]",
             fo->transf_exp && !strcmp(fo->xlabel, "Ratio (log scale)") ? "Ratio" : fo->xlabel,
             100 * x->rma.level);
    fo->est_header = est_header;
    CLI_PLOT_PAGE(*fo, x->plot);
    fo->unit = x->plot.unit;
    if (extra)
        fo->extra_header = ma_codemap_get(&u->map, "", extra);
    if (overall.method_used == MA_METHOD_FE)
        snprintf(overall_label, sizeof overall_label, "Common-effect model");
    else
        snprintf(overall_label, sizeof overall_label, "Random-effects model (%s)",
                 ma_method_name(overall.method_used));
    memset(&f, 0, sizeof f);
    f.Q_between = f.Q_between_df = f.Q_between_p = NAN;
    f.overall_label = overall_label;
    rows = calloc(k, sizeof *rows);
    w = calloc(k, sizeof *w);
    labels = calloc(k, sizeof *labels);
    if (!rows || !w || !labels || !(excl = cli_plot_excluded(d, &f.nexcluded))) {
        fprintf(stderr, "iastm forest: out of memory\n");
        rc = 1;
        goto done;
    }
    f.excluded = excl;
    f.rows = rows;
    f.nrows = k;
    ma_rma_weights(d->vi, k, overall.tau2, w);
    if (bayes) {
        /* the diamond: posterior median of mu and its central interval; the bar: the
         * new-study effect. Weights are not those of a Bayesian model: not shown. */
        char pb[128], a[32], b[32], cc[32], q[32];
        bsum = overall;
        bsum.estimate = br.mu.median;
        bsum.ci_lb = br.mu.lb;
        bsum.ci_ub = br.mu.ub;
        bsum.pi_lb = br.theta.lb;
        bsum.pi_ub = br.theta.ub;
        bsum.method_used = MA_METHOD_REML; /* any random-effects method: the bar is drawn */
        snprintf(overall_label, sizeof overall_label, "Bayesian random-effects model");
        snprintf(post_header, sizeof post_header, "Posterior [%g%% CrI]", 100 * x->rma.level);
        snprintf(est_header, sizeof est_header, "Observed [%g%% CI]", 100 * x->rma.level);
        snprintf(pi_label, sizeof pi_label, "Effect in a new study");
        plot_fmt_num_cli(a, sizeof a, br.tau.median);
        plot_fmt_num_cli(b, sizeof b, br.tau.lb);
        plot_fmt_num_cli(cc, sizeof cc, br.tau.ub);
        snprintf(blines[0], sizeof blines[0],
                 "Heterogeneity: \xcf\x84 = %s [%s, %s] (posterior median, %g%% CrI)", a, b, cc,
                 100 * x->rma.level);
        plot_fmt_num_cli(q, sizeof q, br.mu_p_gt0);
        snprintf(blines[1], sizeof blines[1], "Prior: \xcf\x84 ~ %s; \xce\xbc %s; P(\xce\xbc > 0) = %s",
                 ma_tau_prior_describe(&bo.tau_prior, pb, sizeof pb),
                 bo.mu_normal ? "normal" : "flat", q);
        snprintf(blines[2], sizeof blines[2],
                 "Squares: observed effects; circles: their posteriors (shrunken)");
        btext[0] = blines[0];
        btext[1] = blines[1];
        btext[2] = blines[2];
        f.overall_text = btext;
        f.n_overall_text = 3;
        f.post_mean = br.shrunk_mean;
        f.post_lb = br.shrunk_lb;
        f.post_ub = br.shrunk_ub;
        f.post_header = post_header;
        f.pi_label = pi_label;
    }

    if (type == TYPE_STUDY && x->c.ds.cluster_col) {
        if ((rc = forest_clusters(d, &rctx, z, rho, x->rma.level, &mv, rows, &groups, &f,
                                  &overall, overall_label, sizeof overall_label, mv_note,
                                  sizeof mv_note, labels)) != 0)
            goto done;
        fo->show_heterogeneity = 0;
        fo->label_header = ma_codemap_get(&u->map, "", t->header[d->cluster]);
    } else if (type == TYPE_STUDY && !by) {
        for (j = 0; j < k; j++) {
            study_row(&rctx, d, d->idx[j], z, &rows[j]);
            rows[j].weight = bayes ? NAN : w[j];
        }
        f.overall = bayes ? &bsum : &overall;
    } else if (type == TYPE_STUDY) {
        /* the rule of pool --by: rows without a subgroup value are left out and listed */
        size_t r = 0, g, nk, nmiss;
        size_t *kept = calloc(k, sizeof *kept), *miss = calloc(k, sizeof *miss);
        double *ky = calloc(k, sizeof *ky), *kv = calloc(k, sizeof *kv);
        if (!(keys = calloc(k, sizeof *keys)) || !kept || !miss || !ky || !kv) {
            free(kept);
            free(miss);
            free(ky);
            free(kv);
            rc = 1;
            goto done;
        }
        ma_subgroups_split(d, by, kept, keys, &nk, miss, &nmiss);
        for (j = 0; j < nk; j++) {
            ky[j] = d->yi[kept[j]];
            kv[j] = d->vi[kept[j]];
        }
        rc = nk == 0 ? 2
             : ma_subgroups_fit(ky, kv, keys, nk, &x->rma, 0, &sg, &err) != MA_OK ? -1 : 0;
        if (rc == 0 && nmiss)
            rc = add_missing(d, by, miss, nmiss, miss_reason, sizeof miss_reason, &excl,
                             &f.nexcluded) ? 1 : 0;
        free(miss);
        free(ky);
        if (rc == 0)
            ma_rma_weights(kv, nk, sg->overall.tau2, w);
        free(kv);
        if (rc != 0) {
            free(kept);
            if (rc == 2)
                fprintf(stderr, "iastm forest: %s: no poolable row has a value in column "
                                "'%s'\n", t->path, by);
            rc = rc == -1 ? cli_report(&err) : rc;
            goto done;
        }
        f.excluded = excl;
        if (!(groups = calloc(sg->ngroups, sizeof *groups))) {
            free(kept);
            rc = 1;
            goto done;
        }
        for (g = 0; g < sg->ngroups; g++) {
            double wsum = 0;
            groups[g].name = ma_codemap_get(&u->map, by, sg->g[g].value);
            groups[g].first = r;
            groups[g].count = sg->g[g].k;
            groups[g].fit = &sg->g[g].fit;
            for (i = 0; i < sg->g[g].k; i++, r++) {
                size_t m = sg->g[g].members[i];
                study_row(&rctx, d, d->idx[kept[m]], z, &rows[r]);
                rows[r].weight = w[m];
                wsum += w[m];
            }
            groups[g].weight = wsum;
        }
        free(kept);
        f.nrows = nk;
        f.groups = groups;
        f.ngroups = sg->ngroups;
        f.overall = &sg->overall;
        f.Q_between = sg->Q_between;
        f.Q_between_df = sg->Q_between_df;
        f.Q_between_p = sg->Q_between_p;
    } else {
        /* leave-one-out / cumulative: one row per refit */
        if (!(fits = calloc(k, sizeof *fits)) || !(perm = calloc(k, sizeof *perm))) {
            rc = 1;
            goto done;
        }
        for (j = 0; j < k; j++)
            perm[j] = j;
        if (type == TYPE_LOO) {
            if (ma_loo(d->yi, d->vi, k, &x->rma, fits, &err) != MA_OK) {
                rc = cli_report(&err);
                goto done;
            }
            f.overall = &overall;
            fo->show_heterogeneity = 0;
        } else {
            if (order) {
                size_t nmissing;
                if (ma_cumul_order_rows(d, order, 0, perm, NULL, &nmissing, &err) != MA_OK) {
                    rc = cli_report(&err);
                    goto done;
                }
                if (nmissing)
                    fprintf(stderr, "iastm forest: note: rows without a value in '%s' (%zu) "
                                    "are added last\n", order, nmissing);
            }
            if (ma_cumul(d->yi, d->vi, k, perm, &x->rma, fits, &err) != MA_OK) {
                rc = cli_report(&err);
                goto done;
            }
        }
        for (j = 0; j < k; j++) {
            size_t m = perm[j];
            const char *lab = d->s[d->idx[m]].cite;
            size_t n = strlen(lab) + 16;
            memset(&rows[j], 0, sizeof rows[j]);
            if (!(labels[j] = malloc(n))) {
                rc = 1;
                goto done;
            }
            snprintf(labels[j], n, "%s%s", type == TYPE_LOO ? "Omitting " : "+ ", lab);
            rows[j].label = labels[j];
            rows[j].extra = NULL;
            rows[j].yi = fits[j].estimate;
            rows[j].ci_lb = fits[j].ci_lb;
            rows[j].ci_ub = fits[j].ci_ub;
            rows[j].weight = NAN;
            rows[j].n1 = rows[j].m1 = rows[j].sd1 = NAN;
            rows[j].n2 = rows[j].m2 = rows[j].sd2 = NAN;
        }
        fo->extra_header = NULL;
        fo->label_header = type == TYPE_LOO ? "Study left out" : "Study added";
    }

    /* the comparator column only when the plotted rows mix comparators */
    fo->comp_header = NULL;
    for (j = 1; rctx.comp && j < f.nrows; j++)
        if (rows[j].comparator && rows[0].comparator &&
            strcmp(rows[j].comparator, rows[0].comparator) != 0) {
            fo->comp_header = ma_codemap_get(&u->map, "", "comparator");
            break;
        }
    if (ma_forest_script(&f, fo, &s, &err) != MA_OK) {
        rc = cli_report(&err);
        goto done;
    }
    rc = cli_plot_finish(&x->plot, x->c.output, &s, "forest");
done:
    if (rc == 1 && s.failed)
        fprintf(stderr, "iastm forest: out of memory\n");
    for (j = 0; labels && j < d->k; j++)
        free(labels[j]);
    free(labels);
    free(perm);
    free(fits);
    free(keys);
    free(groups);
    ma_mv_clear(&mv);
    free(excl);
    free(w);
    free(rows);
    ma_subgroups_free(sg);
    ma_bayes_free(&br);
    ma_gp_clear(&s);
    ma_codemap_clear(&u->map);
    return rc;
}

static const struct option OPTIONS[] = {
    {"by", required_argument, NULL, OPT_BY},
    {"favours-left", required_argument, NULL, OPT_FAV_LEFT},
    {"favours-right", required_argument, NULL, OPT_FAV_RIGHT},
    {"xlim", required_argument, NULL, OPT_XLIM},
    {"xlabel", required_argument, NULL, OPT_XLABEL},
    {"type", required_argument, NULL, OPT_TYPE},
    {"extra", required_argument, NULL, OPT_EXTRA},
    {"order", required_argument, NULL, OPT_ORDER},
    {"no-heterogeneity", no_argument, NULL, OPT_NO_HET},
    {"bayes", no_argument, NULL, OPT_BAYES},
    {"tau-prior", required_argument, NULL, OPT_TAU_PRIOR},
    {"mu-prior", required_argument, NULL, OPT_MU_PRIOR},
    {"rho", required_argument, NULL, OPT_RHO},
    {"labels", required_argument, NULL, OPT_LABELS},
    {"arm-labels", required_argument, NULL, OPT_ARM_LABELS},
    {"comparator", required_argument, NULL, OPT_COMPARATOR},
    {"transf", required_argument, NULL, OPT_TRANSF},
    CLI_OPT_END};

const cli_cmd_t CLI_CMD_FOREST = {
    .name = "forest", .summary = "forest plot through gnuplot (PNG, SVG, PDF)", .help = HELP,
    .help_parts = {CLI_PLOT_HELP, CLI_INPUT_HELP, CLI_RMA_HELP},
    .groups = CLI_GROUP_RMA | CLI_GROUP_PLOT, .options = OPTIONS,
    .self_size = sizeof(forest_t), .init = init, .option = option, .check = check,
    .loaded = loaded, .run = run,
};
