/* Shared command-line pieces: option parsing, loading, atomic output, error reporting. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char CLI_INPUT_HELP[] =
    "Input options:\n"
    "  --measure SMD|MD     effect measure (default SMD: Hedges' g)\n"
    "  --vtype LS|UB|LS2|AV sampling variance of g (default LS, as metafor)\n"
    "  --preset revman5     RevMan 5's approximate J and variance for g\n"
    "  --col KEY=HEADER     read KEY (e.g. n1, m1i, sd_comp, yi) from column HEADER\n"
    "  --where COL=VALUE    keep rows whose COL equals VALUE (repeatable; COL!=VALUE\n"
    "                       excludes; several values for one column are alternatives)\n"
    "  --primary            keep rows whose 'primary' column is yes\n"
    "  --label COL|TEMPLATE study labels from column COL, or from a template of column\n"
    "                       names in braces, e.g. '{author} {year} ({site})' ({citation}:\n"
    "                       the author-year rule); plots of a trials file default to\n"
    "                       'Braun et al. 2011', with 2011a, 2011b for equal citations\n"
    "  --cluster COL        rows with one COL value are dependent (default: study_id);\n"
    "                       pooling several rows of a cluster is flagged in the output\n"
    "  --delim C            field delimiter ',' ';' or tab (default: detected)\n"
    "  --decimal-comma      read 0,5 as 0.5 in a ';'- or tab-separated file\n"
    "  --verbose            say on stderr how the input was read\n";

static const char OUTPUT_HELP[] =
    "Output options:\n"
    "  -f, --format FMT     text (default), csv, tsv, json or md (Markdown tables)\n"
    "  -o, --output FILE    write to FILE (replaced only when the run succeeds)\n"
    "  --parts DIR          csv/tsv hold one table, the main one; the other parts of the\n"
    "                       output go to DIR/PART.csv (.tsv), one table per file\n"
    "                       (--format json has them all in one object)\n"
    "  --digits N           decimals of text and md output (default 4; p-values below\n"
    "                       10^-N print as <.0001); csv, tsv and json keep full precision\n"
    "  -h, --help           this help\n";

/* The input and the output options, in the help of every command but the plots. */
char CLI_COMMON_HELP[sizeof CLI_INPUT_HELP + sizeof OUTPUT_HELP];

void cli_common_help_init(void)
{
    snprintf(CLI_COMMON_HELP, sizeof CLI_COMMON_HELP, "%s%s", CLI_INPUT_HELP, OUTPUT_HELP);
}

void cli_common_init(cli_common_t *c)
{
    opterr = 0;
    optind = 1;
    memset(c, 0, sizeof *c);
    c->format = MA_FMT_TEXT;
    c->digits = -1;
    ma_dataset_opts_init(&c->ds);
    c->ds.where = c->where;
    c->pooling = 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "iastm%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'iastm%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
    return 2;
}

int cli_report(const ma_error_t *err)
{
    char buf[1400];
    fprintf(stderr, "iastm: %s\n", ma_error_format(err, buf, sizeof buf));
    return (err->code == MA_EINPUT || err->code == MA_EUSAGE) ? 2 : 1;
}

int cli_report_in(const ma_error_t *err, const char *path)
{
    ma_error_t e = *err;
    if (!e.file[0] && path)
        snprintf(e.file, sizeof e.file, "%s", path);
    return cli_report(&e);
}

int cli_common_opt(cli_common_t *c, int opt, const char *arg, const char *cmd)
{
    const char *eq;
    int x;
    switch (opt) {
    case OPT_FORMAT:
        if ((x = ma_format_parse(arg)) < 0) {
            cli_usage_error(cmd, "unknown format '%s' (expected text, csv, tsv, json or md)", arg);
            return -1;
        }
        c->format = (ma_format_t)x;
        c->format_given = 1;
        return 1;
    case OPT_PARTS:
        if (cli_check_path(cmd, "--parts", arg) < 0)
            return -1;
        c->parts = arg;
        return 1;
    case OPT_DIGITS: {
        double n;
        if (ma_parse_double(arg, &n) != MA_NUM_OK || n != floor(n) || n < 0 || n > 12) {
            cli_usage_error(cmd, "--digits must be a whole number from 0 to 12, got '%s'", arg);
            return -1;
        }
        c->digits = (int)n;
        return 1;
    }
    case OPT_OUTPUT:
        if (cli_check_path(cmd, "-o", arg) < 0)
            return -1;
        c->output = arg;
        return 1;
    case OPT_MEASURE:
        if (!strcasecmp(arg, "SMD"))
            c->ds.es.measure = MA_MEASURE_SMD;
        else if (!strcasecmp(arg, "MD"))
            c->ds.es.measure = MA_MEASURE_MD;
        else {
            cli_usage_error(cmd, "unknown measure '%s' (expected SMD or MD)", arg);
            return -1;
        }
        return 1;
    case OPT_VTYPE:
        if (!strcasecmp(arg, "LS"))
            c->ds.es.vtype = MA_VTYPE_LS;
        else if (!strcasecmp(arg, "UB"))
            c->ds.es.vtype = MA_VTYPE_UB;
        else if (!strcasecmp(arg, "LS2"))
            c->ds.es.vtype = MA_VTYPE_LS2;
        else if (!strcasecmp(arg, "AV"))
            c->ds.es.vtype = MA_VTYPE_AV;
        else {
            cli_usage_error(cmd, "unknown vtype '%s' (expected LS, UB, LS2 or AV)", arg);
            return -1;
        }
        return 1;
    case OPT_PRESET:
        if (strcasecmp(arg, "revman5") != 0) {
            cli_usage_error(cmd, "unknown preset '%s' (expected revman5)", arg);
            return -1;
        }
        c->ds.es.revman5 = 1;
        return 1;
    case OPT_COL:
        eq = strchr(arg, '=');
        if (!eq || eq == arg || !eq[1]) {
            cli_usage_error(cmd, "--col takes KEY=HEADER, got '%s'", arg);
            return -1;
        } else {
            char key[64];
            size_t n = (size_t)(eq - arg);
            if (n >= sizeof key) {
                cli_usage_error(cmd, "--col: unknown key in '%s'", arg);
                return -1;
            }
            memcpy(key, arg, n);
            key[n] = '\0';
            if ((x = ma_colkey_parse(key)) < 0) {
                cli_usage_error(cmd, "--col: unknown key '%s' (e.g. study, yi, vi, sei, n1, "
                                     "m1, sd1, n2, m2, sd2, md, p, data_form)", key);
                return -1;
            }
            c->ds.colmap[x] = eq + 1;
        }
        return 1;
    case OPT_WHERE:
        eq = strchr(arg, '=');
        if (!eq || eq == arg) {
            cli_usage_error(cmd, "--where takes COL=VALUE or COL!=VALUE, got '%s'", arg);
            return -1;
        }
        if (c->nwhere == CLI_MAX_WHERE) {
            cli_usage_error(cmd, "too many --where options (at most %d)", CLI_MAX_WHERE);
            return -1;
        } else {
            ma_filter_t *f = &c->where[c->nwhere];
            int neg = eq > arg && eq[-1] == '!';
            size_t n = (size_t)(eq - arg) - (size_t)neg;
            if (n == 0 || n >= sizeof c->where_col[0]) {
                cli_usage_error(cmd, "--where takes COL=VALUE, got '%s'", arg);
                return -1;
            }
            memcpy(c->where_col[c->nwhere], arg, n);
            c->where_col[c->nwhere][n] = '\0';
            f->col = c->where_col[c->nwhere];
            f->value = eq + 1;
            f->negate = neg;
            c->nwhere++;
            c->ds.nwhere = c->nwhere;
        }
        return 1;
    case OPT_PRIMARY:
        c->ds.primary_only = 1;
        return 1;
    case OPT_LABEL:
        c->ds.label_col = arg;
        return 1;
    case OPT_CLUSTER:
        c->ds.cluster_col = arg;
        return 1;
    case OPT_DELIM:
        if (!strcmp(arg, ",") || !strcmp(arg, ";"))
            c->table.delim = arg[0];
        else if (!strcmp(arg, "tab") || !strcmp(arg, "\\t") || !strcmp(arg, "\t"))
            c->table.delim = '\t';
        else {
            cli_usage_error(cmd, "unknown delimiter '%s' (expected ',', ';' or tab)", arg);
            return -1;
        }
        return 1;
    case OPT_DECIMAL_COMMA:
        c->table.decimal_comma = 1;
        return 1;
    case OPT_VERBOSE:
        c->verbose = 1;
        return 1;
    default:
        return 0;
    }
}

int cli_bad_option(const char *cmd, int opt, char **argv)
{
    const char *word = argv[optind - 1];
    if (opt == ':')
        return cli_usage_error(cmd, "option '%s' needs an argument", word);
    if (optopt && optopt < 256 && word[0] == '-' && word[1] != '-')
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", word);
}

int cli_parse_double(const char *cmd, const char *opt, const char *arg, double lo, double hi,
                     double *out)
{
    double x;
    if (ma_parse_double(arg, &x) != MA_NUM_OK || !(x > lo && x < hi)) {
        cli_usage_error(cmd, "%s must be a number between %g and %g, got '%s'", opt, lo, hi,
                        arg);
        return -1;
    }
    *out = x;
    return 0;
}

const char *cli_input_arg(int argc, char **argv, const char *cmd)
{
    if (optind >= argc) {
        cli_usage_error(cmd, "no input file (use - for standard input)");
        return NULL;
    }
    if (optind + 1 < argc) {
        cli_usage_error(cmd, "one input file expected, got also '%s'", argv[optind + 1]);
        return NULL;
    }
    return argv[optind];
}

/* --verbose: what the reader decided about the input. */
static void input_notes(const ma_table_t *t, const ma_dataset_t *d)
{
    int k;
    fprintf(stderr, "iastm: note: %s: %zu rows of %zu columns, %s-separated (%s)\n", t->path,
            t->nrow, t->ncol, ma_delim_name(t->delim),
            t->delim_detected ? "detected from the header" : "--delim");
    if (t->rownames)
        fprintf(stderr, "iastm: note: %s: the first column has no header: read as row names "
                        "(as R's write.csv writes them) and skipped\n", t->path);
    if (t->decimal_commas)
        fprintf(stderr, "iastm: note: %s: %zu decimal comma%s read as decimal point%s\n",
                t->path, t->decimal_commas, t->decimal_commas == 1 ? "" : "s",
                t->decimal_commas == 1 ? "" : "s");
    for (k = 0; k < MA_COL_COUNT; k++)
        if (d->col_nocase[k])
            fprintf(stderr, "iastm: note: %s: column '%s' read as %s (case ignored)\n",
                    t->path, t->header[d->col[k]], ma_colkey_name((ma_colkey_t)k));
}

int cli_read_table(const cli_common_t *c, const char *path, ma_table_t **t)
{
    ma_table_opts_t o = {0, c->table.decimal_comma};
    ma_error_t err;
    if (ma_table_read_file_opts(path, &o, t, &err) != MA_OK)
        return cli_report(&err);
    return 0;
}

int cli_load(cli_common_t *c, const char *path, ma_table_t **t, ma_dataset_t **d)
{
    ma_error_t err;
    *t = NULL;
    *d = NULL;
    if (c->ds.es.measure == MA_MEASURE_MD &&
        (c->ds.es.vtype != MA_VTYPE_LS || c->ds.es.revman5)) {
        fprintf(stderr, "iastm: %s applies to --measure SMD only, not MD\n",
                c->ds.es.revman5 ? "--preset revman5" : "--vtype");
        return 2;
    }
    if (ma_table_read_file_opts(path, &c->table, t, &err) != MA_OK)
        return cli_report(&err);
    if (c->table.decimal_comma && (*t)->delim == ',') {
        fprintf(stderr, "iastm: %s: --decimal-comma: the file is comma-separated, so a comma "
                        "cannot mark decimals (a ';'- or tab-separated file can)\n",
                (*t)->path);
        ma_table_free(*t);
        *t = NULL;
        return 2;
    }
    if (ma_dataset_build(*t, &c->ds, d, &err) != MA_OK) {
        ma_table_free(*t);
        *t = NULL;
        return cli_report(&err);
    }
    if (c->verbose)
        input_notes(*t, *d);
    if (c->pooling && ma_dataset_check_outcomes(*d, &err) != MA_OK) {
        ma_dataset_free(*d);
        ma_table_free(*t);
        *d = NULL;
        *t = NULL;
        return cli_report(&err);
    }
    return 0;
}

int cli_mods_parse(cli_mods_t *m, const char *cmd, const char *arg, size_t max)
{
    free(m->buf);
    m->n = 0;
    if (!(m->buf = malloc(strlen(arg) + 1))) {
        fprintf(stderr, "iastm %s: out of memory\n", cmd);
        return -2;
    }
    strcpy(m->buf, arg);
    if (max > CLI_MAX_MODS)
        max = CLI_MAX_MODS;
    return (m->n = cli_split_mods(cmd, m->buf, m->names, max)) == 0 ? -1 : 1;
}

void cli_mods_free(cli_mods_t *m)
{
    free(m->buf);
    m->buf = NULL;
    m->n = 0;
}

/* Split --mods on commas into `names` (pointers into `buf`). Returns the count, or 0
 * after a usage error. */
size_t cli_split_mods(const char *cmd, char *buf, const char **names, size_t max)
{
    size_t n = 0, i;
    char *tok = buf;
    for (;;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        if (!*tok) {
            cli_usage_error(cmd, "--mods: empty column name");
            return 0;
        }
        if (n == max) {
            cli_usage_error(cmd, "--mods: at most %zu columns", max);
            return 0;
        }
        for (i = 0; i < n; i++)
            if (strcmp(names[i], tok) == 0) {
                cli_usage_error(cmd, "--mods: column '%s' given twice", tok);
                return 0;
            }
        names[n++] = tok;
        if (!comma)
            return n;
        tok = comma + 1;
    }
}

int cli_check_path(const char *cmd, const char *opt, const char *path)
{
    if (!*path) {
        cli_usage_error(cmd, "%s: empty file name", opt);
        return -1;
    }
    if (ma_outfile_bad_name(path)) {
        cli_usage_error(cmd, "%s: the file name contains a control character (such as a "
                             "newline): not supported", opt);
        return -1;
    }
    return 0;
}

/* The outputs of this run, closed and checked, waiting for cli_outputs_finish. */
#define MAX_KEPT 16
static ma_outfile_t kept[MAX_KEPT];
static size_t nkept;

/* The files named by this run's outputs (open or kept), as directory and name: two
 * outputs on one file would silently leave only the last. */
typedef struct {
    dev_t dev;
    ino_t ino;
    char name[256];
    int used;
} out_id_t;
static out_id_t ids[2 * MAX_KEPT];

/* Claim the target of `o` for this run: a slot index, -1 when it cannot be identified
 * (the check is then skipped), -2 when another output already names it. */
static int claim_target(const ma_outfile_t *o)
{
    const char *slash = strrchr(o->target, '/'), *name = slash ? slash + 1 : o->target;
    char dir[MA_OUTFILE_PATH];
    struct stat st;
    size_t i;
    int free_slot = -1;
    if (o->direct || strlen(name) >= sizeof ids[0].name)
        return -1;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == o->target)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - o->target), o->target);
    if (stat(dir, &st) != 0)
        return -1;
    for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        if (!ids[i].used) {
            if (free_slot < 0)
                free_slot = (int)i;
        } else if (ids[i].dev == st.st_dev && ids[i].ino == st.st_ino &&
                   !strcmp(ids[i].name, name)) {
            return -2;
        }
    }
    if (free_slot >= 0) {
        ids[free_slot].dev = st.st_dev;
        ids[free_slot].ino = st.st_ino;
        memcpy(ids[free_slot].name, name, strlen(name) + 1);
        ids[free_slot].used = 1;
    }
    return free_slot;
}

static void release_target(int id)
{
    if (id >= 0)
        ids[id].used = 0;
}

int cli_out_open(cli_out_t *o, const char *path)
{
    ma_error_t err;
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    o->path = path;
    if (ma_outfile_open(&o->file, path, &err) != MA_OK)
        return cli_report(&err);
    if ((o->id = claim_target(&o->file)) == -2) {
        ma_outfile_discard(&o->file);
        fprintf(stderr, "iastm: %s: named for two outputs of one run\n", path);
        return 2;
    }
    o->f = o->file.f;
    return 0;
}

int cli_out_close(cli_out_t *o, int ok)
{
    ma_error_t err;
    if (!o->f)
        return ok ? 0 : 1;
    if (!o->path) {
        int failed, e;
        errno = 0;
        failed = fflush(stdout) != 0;
        e = errno;
        failed |= ferror(stdout) != 0;
        o->f = NULL;
        if (failed && ok) {
            if (e)
                fprintf(stderr, "iastm: standard output: write error: %s\n", strerror(e));
            else
                fprintf(stderr, "iastm: standard output: write error\n");
            return 1;
        }
        return ok ? 0 : 1;
    }
    o->f = NULL;
    if (!ok) {
        ma_outfile_discard(&o->file);
        release_target(o->id);
        return 1;
    }
    if (ma_outfile_close(&o->file, &err) != MA_OK) {
        release_target(o->id);
        return cli_report(&err);
    }
    if (nkept == MAX_KEPT) {
        ma_outfile_discard(&o->file);
        fprintf(stderr, "iastm: %s: too many output files in one run\n", o->path);
        return 1;
    }
    kept[nkept++] = o->file; /* the registry slot travels with the copy */
    return 0;
}

int cli_outputs_finish(int rc)
{
    ma_error_t err;
    size_t i;
    int pass;
    /* Devices and FIFOs first: a copy to them can fail (a full disk, /dev/full) and must
     * then stop the renames, which cannot fail for lack of space. */
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < nkept; i++) {
            if (kept[i].direct != (pass == 0))
                continue;
            if (rc != 0) {
                ma_outfile_discard(&kept[i]);
            } else if (ma_outfile_commit(&kept[i], &err) != MA_OK) {
                cli_report(&err);
                rc = 1;
            }
        }
    nkept = 0;
    memset(ids, 0, sizeof ids);
    ma_outfile_remove_all(); /* outputs opened and never closed */
    return rc;
}

/* The parts of this run's csv/tsv output beside its main table (cli_writer_new). */
#define MAX_PARTS 8
static struct {
    const char *cmd, *dir, *ext;
    cli_out_t out[MAX_PARTS];
    char path[MAX_PARTS][MA_OUTFILE_PATH];
    size_t n;
    char omitted[256]; /* the parts left out, "pool, excluded" */
    int failed;
} parts;

/* The writer's ma_writer_part_fn: DIR/NAME.EXT with --parts DIR, else nothing. */
static FILE *part_stream(void *ctx, const char *name)
{
    size_t len = strlen(parts.omitted), i = parts.n;
    (void)ctx;
    if (!parts.dir) {
        if (len + strlen(name) + 3 < sizeof parts.omitted)
            snprintf(parts.omitted + len, sizeof parts.omitted - len, "%s%s", len ? ", " : "",
                     name);
        return NULL;
    }
    if (parts.failed)
        return NULL;
    if (i == MAX_PARTS) {
        fprintf(stderr, "iastm %s: --parts: more than %d parts\n", parts.cmd, MAX_PARTS);
        parts.failed = 1;
        return NULL;
    }
    if (mkdir(parts.dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "iastm %s: --parts %s: cannot create the folder: %s\n", parts.cmd,
                parts.dir, strerror(errno));
        parts.failed = 1;
        return NULL;
    }
    snprintf(parts.path[i], sizeof parts.path[i], "%s/%s.%s", parts.dir, name, parts.ext);
    if (cli_out_open(&parts.out[i], parts.path[i]) != 0) {
        parts.failed = 1;
        return NULL;
    }
    parts.n++;
    return parts.out[i].f;
}

/* Markdown columns of the sections several commands write. */
static const char *const MD_SHARED[] = {
    "pool: measure k estimate se pval ci_lb ci_ub tau2 I2 Q_p pi_lb pi_ub note",
    "studies: study yi vi weight n1 n2",
    "excluded: study line data_form reason",
    "dependence: cluster_column k clusters clusters_with_several_rows note",
    NULL};

/* "SECTION: key key" entries into the writer (the strings are static). */
static void md_columns(ma_writer_t *w, const char *const *list)
{
    static char names[64][64];
    static size_t nnames;
    for (; list && *list; list++) {
        const char *colon = strchr(*list, ':');
        size_t n = colon ? (size_t)(colon - *list) : 0, i;
        if (!colon || n >= sizeof names[0])
            continue;
        for (i = 0; i < nnames; i++)
            if (strlen(names[i]) == n && !strncmp(names[i], *list, n))
                break;
        if (i == nnames) {
            if (nnames == sizeof names / sizeof names[0])
                continue;
            memcpy(names[nnames], *list, n);
            names[nnames++][n] = '\0';
        }
        ma_writer_md_columns(w, names[i], colon + 1 + strspn(colon + 1, " "));
    }
}

ma_writer_t *cli_writer_new(const cli_common_t *c, FILE *f, const char *cmd,
                            const char *table, const char *const *md_cols)
{
    ma_writer_t *w = ma_writer_new(f, c->format);
    if (!w) {
        fprintf(stderr, "iastm %s: out of memory\n", cmd);
        return NULL;
    }
    memset(&parts, 0, sizeof parts);
    parts.cmd = cmd;
    parts.dir = c->parts;
    parts.ext = c->format == MA_FMT_TSV ? "tsv" : "csv";
    ma_writer_parts(w, table, part_stream, NULL);
    ma_writer_digits(w, cli_digits());
    md_columns(w, MD_SHARED);
    md_columns(w, md_cols);
    return w;
}

int cli_writer_done(ma_writer_t *w)
{
    ma_error_t err;
    size_t i;
    int ok = ma_writer_finish(w, &err) == MA_OK;
    if (!ok)
        cli_report(&err);
    ma_writer_free(w);
    ok = ok && !parts.failed;
    for (i = 0; i < parts.n; i++)
        if (cli_out_close(&parts.out[i], ok) != 0)
            ok = 0;
    if (ok && parts.omitted[0])
        fprintf(stderr, "iastm %s: note: the %s output holds one table; its other parts "
                        "(%s) are written one file each by --parts DIR, or all in one object "
                        "by --format json\n", parts.cmd, parts.ext, parts.omitted);
    memset(&parts, 0, sizeof parts);
    return ok;
}
