/* The one command skeleton (command.h). */
#include "command.h"

#include <stdlib.h>
#include <string.h>

/* The option groups number their ids in ranges of their own, below the commands' own. */
_Static_assert(OPT_TAU2_INIT < OPT_SCRIPT && OPT_DPI < OPT_THREADS &&
                   OPT_PROGRESS < OPT_TAU_PRIOR && OPT_BAYES_MARGIN < OPT_CMD_BASE,
               "option id ranges overlap");

static const struct option COMMON_OPTS[] = {CLI_COMMON_LONGOPTS, CLI_OPT_END};
static const struct option RMA_OPTS[] = {CLI_RMA_LONGOPTS, CLI_OPT_END};
static const struct option PLOT_OPTS[] = {CLI_PLOT_LONGOPTS, CLI_OPT_END};

static size_t count_opts(const struct option *o)
{
    size_t n = 0;
    while (o && o[n].name)
        n++;
    return n;
}

/* The getopt_long table: the input and output options, the pooling and plot options,
 * the command's own (the caller frees it). Returns 0, or an exit status after a message. */
static int build_longopts(const cli_cmd_t *cmd, struct option **out)
{
    const struct option *parts[4] = {COMMON_OPTS, cmd->groups & CLI_GROUP_RMA ? RMA_OPTS : NULL,
                                     cmd->groups & CLI_GROUP_PLOT ? PLOT_OPTS : NULL,
                                     cmd->options};
    size_t n = 0, i, j = 0;
    struct option *all;
    for (i = 0; i < 4; i++)
        n += count_opts(parts[i]);
    *out = NULL;
    all = calloc(n + 1, sizeof *all);
    if (!all) {
        fprintf(stderr, "iastm %s: out of memory\n", cmd->name);
        return 1;
    }
    for (i = 0; i < 4; i++) {
        size_t m = count_opts(parts[i]);
        if (m)
            memcpy(all + j, parts[i], m * sizeof *all);
        j += m;
    }
    /* two options with one id would silently act as one: refuse the table */
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (all[i].val == all[j].val) {
                fprintf(stderr, "iastm %s: internal error: options --%s and --%s share an "
                                "id\n", cmd->name, all[i].name, all[j].name);
                free(all);
                return 1;
            }
    *out = all; /* the last entry is zeroed: CLI_OPT_END */
    return 0;
}

static int parse_options(cli_ctx_t *x, int argc, char **argv, const struct option *longopts)
{
    const cli_cmd_t *cmd = x->cmd;
    char shortopts[64];
    int opt, rc;
    snprintf(shortopts, sizeof shortopts, "%s%s%s", CLI_COMMON_SHORTOPTS,
             cmd->groups & (CLI_GROUP_RMA | CLI_GROUP_RMA_PARSE) ? "m:" : "",
             cmd->shortopts ? cmd->shortopts : "");
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (opt == OPT_HELP) {
            const char *const *h = cmd->help_parts;
            printf(cmd->help, h[0], h[1], h[2], h[3]);
            return -1; /* exit 0 */
        }
        rc = cmd->option ? cmd->option(x, opt, optarg) : 0;
        if (rc == 0)
            rc = cli_common_opt(&x->c, opt, optarg, cmd->name);
        if (rc == 0 && (cmd->groups & (CLI_GROUP_RMA | CLI_GROUP_RMA_PARSE)))
            rc = cli_rma_opt(&x->rma, opt, optarg, cmd->name);
        if (rc == 0 && (cmd->groups & CLI_GROUP_PLOT))
            rc = cli_plot_opt(&x->plot, opt, optarg, cmd->name);
        if (rc == -2)
            return 1;
        if (rc < 0)
            return 2;
        if (rc == 0)
            return cli_bad_option(cmd->name, opt, argv);
    }
    return 0;
}

static int check_k(const cli_ctx_t *x)
{
    const cli_cmd_t *cmd = x->cmd;
    const ma_dataset_t *d = x->d;
    if (d->k >= cmd->min_k)
        return 0;
    if (cmd->k_style == CLI_K_NONE_USABLE)
        fprintf(stderr, "iastm %s: %s: no poolable rows (%zu row%s, none usable)\n", cmd->name,
                x->t->path, d->n, d->n == 1 ? "" : "s");
    else if (cmd->k_style == CLI_K_OF_USABLE)
        fprintf(stderr, "iastm %s: %s: %s at least %zu poolable rows (%zu of %zu usable)\n",
                cmd->name, x->t->path, cmd->k_needs, cmd->min_k, d->k, d->n);
    else if (cmd->k_style == CLI_K_GOT)
        fprintf(stderr, "iastm %s: %s: %s at least %zu poolable rows (got %zu)\n", cmd->name,
                x->t->path, cmd->k_needs, cmd->min_k, d->k);
    else
        fprintf(stderr, "iastm %s: %s: no poolable rows (%zu row%s)\n", cmd->name, x->t->path,
                d->n, d->n == 1 ? "" : "s");
    cli_excluded_text(stderr, d);
    return 2;
}

/* The output options that go together: --parts with csv or tsv, --digits with text or
 * md (csv, tsv and json always have full precision). Sets the run's digits. */
static int check_output(cli_ctx_t *x)
{
    const cli_common_t *c = &x->c;
    int table = c->format == MA_FMT_CSV || c->format == MA_FMT_TSV;
    if (c->parts && !table && !(x->cmd->groups & CLI_GROUP_PLOT))
        return cli_usage_error(x->cmd->name, "--parts needs --format csv or tsv (json holds "
                                             "every part in one object)");
    if (c->digits >= 0 && (table || c->format == MA_FMT_JSON))
        return cli_usage_error(x->cmd->name, "--digits applies to text and md output; csv, "
                                             "tsv and json keep full precision");
    cli_set_digits(c->digits >= 0 ? c->digits : x->cmd->digits ? x->cmd->digits : 4);
    return 0;
}

int cli_run(const cli_cmd_t *cmd, int argc, char **argv)
{
    cli_ctx_t x;
    struct option *longopts;
    int rc;

    memset(&x, 0, sizeof x);
    x.cmd = cmd;
    cli_common_init(&x.c);
    ma_rma_opts_init(&x.rma);
    if (cmd->row_by_row)
        x.c.pooling = 0;
    if ((rc = build_longopts(cmd, &longopts)) != 0)
        return rc;
    if (!(x.self = calloc(1, cmd->self_size ? cmd->self_size : 1))) {
        free(longopts);
        return cli_oom(&x);
    }
    if (cmd->init)
        cmd->init(&x);
    rc = parse_options(&x, argc, argv, longopts);
    free(longopts);
    if (rc < 0) { /* --help */
        rc = 0;
        goto done;
    }
    if (rc == 0)
        rc = check_output(&x);
    if (rc == 0 && cmd->check)
        rc = cmd->check(&x);
    if (rc == 0 && (cmd->groups & CLI_GROUP_PLOT))
        rc = cli_plot_check(&x.plot, &x.c, cmd->name);
    if (rc == 0 && !(x.path = cli_input_arg(argc, argv, cmd->name)))
        rc = 2;
    if (rc == 0 && cmd->prepare)
        rc = cmd->prepare(&x);
    if (rc == 0)
        rc = cli_load(&x.c, x.path, &x.t, &x.d);
    if (rc == 0 && cmd->loaded)
        rc = cmd->loaded(&x);
    if (rc == 0)
        rc = check_k(&x);
    if (rc == 0 && cmd->run)
        rc = cmd->run(&x);
done:
    if (cmd->clear)
        cmd->clear(&x);
    free(x.self);
    ma_dataset_free(x.d);
    ma_table_free(x.t);
    return rc;
}

int cli_emit(cli_ctx_t *x, cli_text_fn text, cli_records_fn records)
{
    cli_out_t out;
    int rc;
    if ((rc = cli_out_open(&out, x->c.output)) != 0)
        return rc;
    return cli_emit_to(x, &out, text, records);
}

int cli_emit_to(cli_ctx_t *x, cli_out_t *out, cli_text_fn text, cli_records_fn records)
{
    int ok = 1;
    if (x->c.format == MA_FMT_TEXT) {
        if (text)
            text(x, out->f);
    } else {
        ma_writer_t *w = cli_writer_new(&x->c, out->f, x->cmd->name, x->cmd->table,
                                        x->cmd->md_columns);
        if (!w) {
            ok = 0;
        } else {
            if (records)
                records(x, w);
            ok = cli_writer_done(w);
        }
    }
    return cli_out_close(out, ok);
}

int cli_oom(const cli_ctx_t *x)
{
    fprintf(stderr, "iastm %s: out of memory\n", x->cmd->name);
    return 1;
}

int cli_fit_error(const cli_ctx_t *x, const ma_error_t *err)
{
    char buf[1400];
    fprintf(stderr, "iastm %s: %s: %s\n", x->cmd->name, x->t->path,
            ma_error_format(err, buf, sizeof buf));
    return err->code == MA_EINPUT || err->code == MA_EUSAGE ? 2 : 1;
}

int cli_model_matrix(const cli_ctx_t *x, const char *const *mods, size_t nmods,
                     ma_design_t **X, double **yi, double **vi)
{
    const ma_dataset_t *d = x->d;
    const char **cells = malloc(d->k * nmods * sizeof *cells);
    ma_error_t err;
    size_t i, j;
    *X = NULL;
    *yi = *vi = NULL;
    if (!cells)
        return cli_oom(x);
    for (i = 0; i < d->k; i++)
        for (j = 0; j < nmods; j++)
            cells[i * nmods + j] = ma_dataset_cell(d, d->idx[i], mods[j]);
    if (ma_design_build(mods, nmods, cells, d->k, X, &err) != MA_OK) {
        free(cells);
        cli_fit_error(x, &err);
        return err.code == MA_ENOMEM ? 1 : 2;
    }
    free(cells);
    *yi = malloc((*X)->k * sizeof **yi);
    *vi = malloc((*X)->k * sizeof **vi);
    if (!*yi || !*vi)
        return cli_oom(x);
    for (i = 0; i < (*X)->k; i++) {
        (*yi)[i] = d->yi[(*X)->rows[i]];
        (*vi)[i] = d->vi[(*X)->rows[i]];
    }
    return 0;
}

int cli_need_column(const cli_ctx_t *x, const char *opt, const char *col)
{
    if (col && ma_table_col(x->t, col) < 0)
        return cli_usage_error(x->cmd->name, "%s: no column '%s' in %s", opt, col, x->t->path);
    return 0;
}

int cli_need_mods(const cli_ctx_t *x, const cli_mods_t *m)
{
    size_t j;
    int rc;
    for (j = 0; j < m->n; j++)
        if ((rc = cli_need_column(x, "--mods", m->names[j])) != 0)
            return rc;
    return 0;
}
