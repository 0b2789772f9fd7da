/* One command skeleton: a command is a descriptor (name, summary, help, option groups,
 * own options, minimum number of poolable rows, run function) and cli_run does the rest:
 * getopt, --help, the input argument, loading, the k check, the output and the exit
 * status. A command file holds only what is particular to it. */
#ifndef IASTM_CLI_COMMAND_H
#define IASTM_CLI_COMMAND_H

#include "cli.h"
#include "plot_cli.h"

/* Option groups a command takes besides the input and output options. */
enum {
    CLI_GROUP_RMA = 1, /* --method, --test, --pi, --level, ... (CLI_RMA_LONGOPTS) into x->rma */
    CLI_GROUP_RMA_PARSE = 2, /* only parsed into x->rma: the command lists the entries */
    CLI_GROUP_PLOT = 4 /* --script, --gnuplot, --dry-run, ... into x->plot; -o required */
};

/* How the k check words its refusal when fewer than min_k rows can be pooled. */
typedef enum {
    CLI_K_NONE_USABLE, /* "no poolable rows (N rows, none usable)" (min_k 1) */
    CLI_K_OF_USABLE,   /* "NEEDS at least K poolable rows (k of n usable)" */
    CLI_K_GOT,         /* "NEEDS at least K poolable rows (got k)" */
    CLI_K_NONE         /* "no poolable rows (N rows)" (min_k 1; the plots) */
} cli_k_style_t;

typedef struct cli_cmd cli_cmd_t;

/* One run of a command. */
typedef struct {
    const cli_cmd_t *cmd;
    cli_common_t c;
    ma_rma_opts_t rma;  /* the pooling options (CLI_GROUP_RMA*) */
    cli_plot_t plot;    /* the plot options (CLI_GROUP_PLOT) */
    const char *path;   /* the input argument */
    ma_table_t *t;      /* the table read, and the dataset built from it */
    ma_dataset_t *d;
    void *self;         /* the command's own state: cmd->self_size bytes, zeroed */
} cli_ctx_t;

struct cli_cmd {
    const char *name;
    const char *summary;               /* one line for `iastm --help` */
    const char *help;                  /* printf format: one %s per help_parts entry */
    const char *help_parts[4];         /* shared help texts, in the order of the %s */
    unsigned groups;                   /* CLI_GROUP_* */
    const struct option *options;      /* own long options, ended by CLI_OPT_END; or NULL */
    const char *shortopts;             /* short options beyond CLI_COMMON_SHORTOPTS (and -m of
                                        * the pooling group) */
    int row_by_row;                    /* 1: nothing is pooled (c.pooling = 0) */
    size_t self_size;
    size_t min_k;                      /* 0: no check */
    cli_k_style_t k_style;
    const char *k_needs;               /* "leave-one-out needs", for the k check */
    /* Output: the section csv/tsv write as the main table (NULL: the first; the others
     * are parts, written by --parts DIR), the Markdown columns of its sections
     * ("SECTION: key key ...", ended by NULL; cli_writer_new), and the default of
     * --digits (0: 4, as metafor). */
    const char *table;
    const char *const *md_columns;
    int digits;
    /* All may be NULL. Each returns an exit status (0: go on) unless said otherwise. */
    void (*init)(cli_ctx_t *x);                          /* defaults of own options */
    /* Own option: 1 handled, 0 not ours, -1 usage error printed (exit 2), or -2 another
     * error printed (exit 1). */
    int (*option)(cli_ctx_t *x, int opt, const char *arg);
    int (*check)(cli_ctx_t *x);                          /* after the options */
    int (*prepare)(cli_ctx_t *x);                        /* after the input argument */
    int (*loaded)(cli_ctx_t *x);                         /* after loading, before the k check */
    int (*run)(cli_ctx_t *x);                            /* the work and its output */
    void (*clear)(cli_ctx_t *x);                         /* free the command's state */
};

/* Run command `cmd` on argv (argv[0] is the command's name). Returns the exit status. */
int cli_run(const cli_cmd_t *cmd, int argc, char **argv);

/* Output to -o (or stdout) in the chosen format: `text` for text, else `records` on a
 * writer; either may be NULL when the command has nothing of that kind to add. Returns
 * the exit status. */
typedef void (*cli_text_fn)(cli_ctx_t *x, FILE *f);
typedef void (*cli_records_fn)(cli_ctx_t *x, ma_writer_t *w);
int cli_emit(cli_ctx_t *x, cli_text_fn text, cli_records_fn records);
/* The same into `out`, opened by the caller (cli_out_open) and closed here. */
int cli_emit_to(cli_ctx_t *x, cli_out_t *out, cli_text_fn text, cli_records_fn records);

/* The model matrix of columns mods[0..nmods) over the pooled rows (ma_design_build), and
 * yi, vi of the rows it keeps (the caller frees all three). Returns an exit status after
 * reporting "iastm CMD: FILE: why". */
int cli_model_matrix(const cli_ctx_t *x, const char *const *mods, size_t nmods,
                     ma_design_t **X, double **yi, double **vi);

/* 0 when `col` is NULL or a column of the table read; else a usage error
 * "OPT: no column 'COL' in FILE" (exit status 2). */
int cli_need_column(const cli_ctx_t *x, const char *opt, const char *col);
/* cli_need_column for every name of --mods. */
int cli_need_mods(const cli_ctx_t *x, const cli_mods_t *m);

/* A library error of the fit as "iastm CMD: FILE: why"; returns 2 for input and usage
 * errors, else 1. */
int cli_fit_error(const cli_ctx_t *x, const ma_error_t *err);

/* "iastm CMD: out of memory" on stderr; returns 1. */
int cli_oom(const cli_ctx_t *x);

extern const cli_cmd_t CLI_CMD_ES, CLI_CMD_AUDIT, CLI_CMD_POOL, CLI_CMD_REGRESS, CLI_CMD_LOO,
    CLI_CMD_CUMUL, CLI_CMD_INFLUENCE, CLI_CMD_BIAS, CLI_CMD_FOREST, CLI_CMD_FUNNEL, CLI_CMD_BUBBLE,
    CLI_CMD_EVIDENCE, CLI_CMD_CLAIMS, CLI_CMD_PERMUTEST, CLI_CMD_GOSH, CLI_CMD_BOOT, CLI_CMD_BAYES,
    CLI_CMD_MV;

/* The commands, in the order of `iastm --help`. */
extern const cli_cmd_t *const CLI_COMMANDS[];
extern const size_t CLI_NCOMMANDS;

#endif
