/* Shared pieces of the command-line front end: input options, loading, output, errors. */
#ifndef IASTM_CLI_H
#define IASTM_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "iastm.h"

#define CLI_MAX_WHERE 64

/* Options shared by every analysis subcommand. */
typedef struct {
    ma_format_t format;
    const char *output;              /* -o FILE (NULL: stdout) */
    ma_dataset_opts_t ds;
    ma_table_opts_t table;           /* --delim, --decimal-comma */
    int verbose;                     /* --verbose: how the input was read, on stderr */
    ma_filter_t where[CLI_MAX_WHERE];
    char where_col[CLI_MAX_WHERE][256]; /* column names of the filters */
    size_t nwhere;
    int pooling;                     /* 1 (default): the rows are pooled; cli_load refuses
                                        mixed outcomes. 0 for es, evidence, claims. */
    int format_given;                /* --format was given (the plots refuse it) */
    const char *parts;               /* --parts DIR: csv/tsv parts beside the main table */
    int digits;                      /* --digits N for text and md; -1: the command's */
} cli_common_t;

/* Option codes for the shared long options (getopt_long `val`s). */
enum {
    OPT_FORMAT = 'f', OPT_OUTPUT = 'o', OPT_HELP = 'h',
    OPT_PARTS = 1020, OPT_DIGITS, /* output options */
    OPT_MEASURE = 1000, OPT_VTYPE, OPT_PRESET, OPT_COL, OPT_WHERE, OPT_PRIMARY, OPT_LABEL,
    OPT_CLUSTER, OPT_DELIM, OPT_DECIMAL_COMMA, OPT_VERBOSE,
    OPT_METHOD = 'm', OPT_TEST = 1050, OPT_PI, OPT_LEVEL, OPT_MAXITER, OPT_STEPADJ,
    OPT_TAU2_INIT,
    /* option groups of several commands, each its own range */
    OPT_SCRIPT = 1100, OPT_GNUPLOT, OPT_DRY_RUN, OPT_TITLE, OPT_WIDTH, OPT_HEIGHT, /* plots */
    OPT_FONT_SIZE, OPT_DPI,
    OPT_THREADS = 1150, OPT_SEED, OPT_NO_PROGRESS, OPT_PROGRESS,               /* resampling */
    OPT_TAU_PRIOR = 1200, OPT_MU_PRIOR, OPT_BAYES_MARGIN,                           /* bayes */
    OPT_CMD_BASE = 1300 /* subcommands number their own options from here */
};

/* The shared entries for a getopt_long table; end a table with CLI_OPT_END. */
#define CLI_COMMON_LONGOPTS                                              \
    {"format", required_argument, NULL, OPT_FORMAT},                     \
    {"output", required_argument, NULL, OPT_OUTPUT},                     \
    {"help", no_argument, NULL, OPT_HELP},                               \
    {"parts", required_argument, NULL, OPT_PARTS},                       \
    {"digits", required_argument, NULL, OPT_DIGITS},                     \
    {"measure", required_argument, NULL, OPT_MEASURE},                   \
    {"vtype", required_argument, NULL, OPT_VTYPE},                       \
    {"preset", required_argument, NULL, OPT_PRESET},                     \
    {"col", required_argument, NULL, OPT_COL},                           \
    {"where", required_argument, NULL, OPT_WHERE},                       \
    {"primary", no_argument, NULL, OPT_PRIMARY},                         \
    {"label", required_argument, NULL, OPT_LABEL},                       \
    {"cluster", required_argument, NULL, OPT_CLUSTER},                   \
    {"delim", required_argument, NULL, OPT_DELIM},                       \
    {"decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA},             \
    {"verbose", no_argument, NULL, OPT_VERBOSE}
#define CLI_OPT_END {NULL, 0, NULL, 0}
#define CLI_COMMON_SHORTOPTS ":f:o:h"

/* Help text for the shared options (printed by each subcommand's --help): the input and
 * the output options; the input options alone (the plots list their own output). */
extern char CLI_COMMON_HELP[];
extern const char CLI_INPUT_HELP[];
void cli_common_help_init(void); /* builds CLI_COMMON_HELP (cli_help_init calls it) */

void cli_common_init(cli_common_t *c);

/* Handle a shared option. Returns 1 when handled, 0 when `opt` is not a shared option,
 * -1 after printing a usage error. */
int cli_common_opt(cli_common_t *c, int opt, const char *arg, const char *cmd);

/* Print "iastm CMD: MSG" and "Try 'iastm CMD --help'." to stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Print a library error as "iastm: FILE:LINE: column 'C': MSG 'VALUE'"; returns the exit
 * status for it (2 for input and usage errors, 1 otherwise). */
int cli_report(const ma_error_t *err);

/* cli_report, naming `path` as the file when the error names none (a failure of a fit
 * on the data read from path). */
int cli_report_in(const ma_error_t *err, const char *path);

/* Report a getopt_long failure ('?' unknown option, ':' missing argument); returns 2.
 * Call with opterr = 0 (cli_common_init sets it). */
int cli_bad_option(const char *cmd, int opt, char **argv);

/* Parse a positive real for an option (e.g. --level); -1 after a usage error. */
int cli_parse_double(const char *cmd, const char *opt, const char *arg, double lo, double hi,
                     double *out);

/* Split --mods COL[,COL...] in place into `names` (at most max, pointers into buf).
 * Returns the count, or 0 after a usage error. */
size_t cli_split_mods(const char *cmd, char *buf, const char **names, size_t max);

/* The moderators of --mods: a copy of the argument and the names in it. */
#define CLI_MAX_MODS 64
typedef struct {
    char *buf;
    const char *names[CLI_MAX_MODS];
    size_t n;
} cli_mods_t;

/* --mods ARG into m (replacing an earlier one), at most max (<= CLI_MAX_MODS) names.
 * Returns 1, -1 after a usage error, -2 after "out of memory" (an option's returns). */
int cli_mods_parse(cli_mods_t *m, const char *cmd, const char *arg, size_t max);
void cli_mods_free(cli_mods_t *m);

/* The single input file argument: optind must leave exactly one. Returns NULL after a
 * usage error. */
const char *cli_input_arg(int argc, char **argv, const char *cmd);

/* Read the table and build the dataset with the shared options. Returns an exit status
 * (0 on success) after reporting any error. */
int cli_load(cli_common_t *c, const char *path, ma_table_t **t, ma_dataset_t **d);

/* The installed data directory (compiled in as IASTM_DATADIR, $(PREFIX)/share/iastm). */
extern const char CLI_DATADIR[];

/* The default of a data file option: data/NAME when the working directory has it (the
 * source tree), else CLI_DATADIR/NAME. Written into buf (n bytes) and returned. */
const char *cli_data_file(const char *name, char *buf, size_t n);

/* Read another input of the run (a claims or reviews file): delimiter detected,
 * --decimal-comma as for the main input. Returns an exit status after reporting. */
int cli_read_table(const cli_common_t *c, const char *path, ma_table_t **t);

/* Output: stdout, or FILE written under a temporary name beside it (ma_outfile: a link
 * is followed, the old file's mode kept, a device or FIFO written on commit). All the
 * files of one run form one transaction: cli_out_close(o, 1) only checks and keeps the
 * file; main renames every kept file into place when the run succeeds
 * (cli_outputs_finish) and removes them all when it fails, so a failed run leaves every
 * earlier result as it was. */
typedef struct {
    FILE *f;
    const char *path;  /* NULL: standard output */
    ma_outfile_t file;
    int id;            /* this run's claim on the file (two outputs may not share one) */
} cli_out_t;

int cli_out_open(cli_out_t *o, const char *path);       /* exit status */
int cli_out_close(cli_out_t *o, int ok);                /* exit status; ok=0 discards */

/* End of a run with exit status rc: commit every kept output when rc is 0 (an output
 * that cannot be put in place makes it 1), else remove them all. Returns the status. */
int cli_outputs_finish(int rc);

/* An output file name from option `opt` (-o, --script, --all, ...): refuse an empty name
 * and control characters (a newline cannot be written in a script or a message) as usage
 * errors. Returns 0, or -1 after printing the usage error. */
int cli_check_path(const char *cmd, const char *opt, const char *path);

/* Options of `iastm pool` needed by the subgroup code. */
typedef struct {
    ma_rma_opts_t rma;
    const char *by;      /* --by COL */
    int common_tau2;     /* --common-tau2 */
} cli_pool_t;

/* `iastm pool --by`: one fit per subgroup, the overall fit, the test for subgroup
 * differences. Writes to `f` in format c->format. Returns an exit status. */
int cli_pool_by(const cli_common_t *c, const cli_pool_t *p, const ma_dataset_t *d, FILE *f);

/* Numbers for people, the one rule of ma_fmt_fixed and ma_fmt_pval: the run's --digits
 * decimals (default 4, as metafor), "<.0001" for tiny p-values, "NA" for NaN. Write into
 * buf (n bytes, 32 are enough for any estimate) and return it. A run prints in one
 * format with one precision: cli_set_digits sets it once, before any output. */
const char *cli_num(double x, char *buf, size_t n);
const char *cli_pval(double p, char *buf, size_t n);
void cli_set_digits(int digits);
int cli_digits(void);

/* Shared printers (report.c). */
void cli_rma_text(FILE *f, const ma_rma_t *r, const ma_rma_opts_t *o, const char *measure);
void cli_rma_record(ma_writer_t *w, const ma_rma_t *r, const ma_rma_opts_t *o);
/* Section "pool": one record of the measure and the fit (pool, loo, influence). */
void cli_pool_section(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                      const ma_rma_t *r, const ma_rma_opts_t *o);
/* The named fields of a fit, in the order given (names separated by blanks: "k estimate
 * se ... note", the member names of ma_rma_t): every record of a fit is written here. */
void cli_rma_fields(ma_writer_t *w, const ma_rma_t *r, const char *names);
void cli_excluded_text(FILE *f, const ma_dataset_t *d);
void cli_excluded_records(ma_writer_t *w, const ma_dataset_t *d);
/* The width of the study column of a text table: the longest pooled label, 12 to 30. */
size_t cli_label_width(const ma_dataset_t *d);
/* "TITLE (random-effects model; METHOD; k = K; MEASURE)" and a newline; "common-effect
 * model; inverse-variance weights" when m is FE. */
void cli_analysis_heading(FILE *f, const char *title, ma_method_t m, size_t k,
                          const char *measure);
/* The fields of one coefficient of a model: estimate se stat pval ci_lb ci_ub. */
void cli_coef_fields(ma_writer_t *w, double b, double se, double stat, double pval,
                     double ci_lb, double ci_ub);
/* The rows a model matrix left out (none: nothing), under "HEADING (N rows):". */
void cli_design_missing_text(FILE *f, const ma_dataset_t *d, const ma_design_t *x,
                             const char *heading);
/* cli_excluded_records with n more rows left out of the model in section "excluded":
 * positions pos in the pooled rows, each with reasons[i] (or `reason` for all). */
void cli_excluded_records_and(ma_writer_t *w, const ma_dataset_t *d, const size_t *pos,
                              size_t n, char *const *reasons, const char *reason);
/* The rows not pooled only, without the dependence note (for iastm mv, which models it). */
void cli_not_pooled_text(FILE *f, const ma_dataset_t *d);
void cli_not_pooled_records(ma_writer_t *w, const ma_dataset_t *d);
/* For figures: the dependence note on stderr as "iastm CMD: warning: ...". */
void cli_dependence_warn(const char *cmd, const ma_dataset_t *d);
/* The same, clusters counted within each value of column `within` (NULL: none). */
void cli_dependence_warn_within(const char *cmd, const ma_dataset_t *d, const char *within);
/* The pooled rows with their weights (percent) in the fit with tau2: a text table, or
 * the section "studies". */
void cli_studies_text(FILE *f, const ma_dataset_t *d, double tau2);
void cli_studies_records(ma_writer_t *w, const ma_dataset_t *d, double tau2);
/* "SMD", "MD", or "yi as given" when every row gives yi/vi directly. */
const char *cli_measure_name(const cli_common_t *c, const ma_dataset_t *d);

/* A writer on `f` in format c->format for command `cmd`: csv/tsv write section `table`
 * (NULL: the first one) as the main table and each other part, with --parts DIR, to
 * DIR/PART.csv (or .tsv) in this run's transaction, else leave it out; md rounds to the
 * run's digits and shows the columns of `md_columns` ("SECTION: key key ..." entries,
 * ended by NULL; shared sections have defaults). NULL after "out of memory". */
ma_writer_t *cli_writer_new(const cli_common_t *c, FILE *f, const char *cmd,
                            const char *table, const char *const *md_columns);

/* Finish a writer and report errors; the part files are closed and kept, and a note on
 * stderr names the parts left out and how to get them. Returns 1 when all went well. */
int cli_writer_done(ma_writer_t *w);

/* Parse the pooling options shared by pool, loo, cumul, ...: --method, --test, --pi,
 * --level, --maxiter, --stepadj, --tau2-init. Returns 1 handled, 0 not ours, -1 usage
 * error printed. */
int cli_rma_opt(ma_rma_opts_t *o, int opt, const char *arg, const char *cmd);
#define CLI_RMA_LONGOPTS                                        \
    CLI_RMA_FIT_LONGOPTS,                                       \
    {"pi", required_argument, NULL, OPT_PI}
/* The same without --pi, for models that have no prediction interval (regress). */
#define CLI_RMA_FIT_LONGOPTS                                    \
    {"method", required_argument, NULL, OPT_METHOD},            \
    {"test", required_argument, NULL, OPT_TEST},                \
    {"level", required_argument, NULL, OPT_LEVEL},              \
    {"maxiter", required_argument, NULL, OPT_MAXITER},          \
    {"stepadj", required_argument, NULL, OPT_STEPADJ},          \
    {"tau2-init", required_argument, NULL, OPT_TAU2_INIT}
/* The help of the pooling options and its --method line, built from the method table by
 * cli_help_init (called once by main). */
extern char CLI_RMA_HELP[];
extern char CLI_METHOD_HELP[];
void cli_help_init(void);

/* What a t-based test is, for text output: "Hartung-Knapp-Sidik-Jonkman", "unadjusted
 * standard errors", "Knapp-Hartung, SE at least the z one". */
const char *cli_test_label(ma_test_t t);

/* --level as metafor's: 95 and 0.95 are the same level (see cli_rma_opt). Returns 0 and
 * the level as a fraction in (0, 1), or -1 after a usage error. */
int cli_parse_level(const char *cmd, const char *arg, double *level);

/* iastm mv's model of the pooled rows of d: clusters from d->cluster, each row its own
 * obs, CHE when rho is not NaN, CR2 inference, no profile CIs (for forest --cluster).
 * Returns an exit status after reporting; on 0 *r is filled (free with ma_mv_clear). */
int cli_mv_fit_rows(const ma_dataset_t *d, double rho, double level, ma_mv_t *r);

#endif
