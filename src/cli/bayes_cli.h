/* Options of the Bayesian model shared by `iastm bayes` and `iastm forest --bayes`. */
#ifndef IASTM_BAYES_CLI_H
#define IASTM_BAYES_CLI_H

#include "cli.h"

/* Option codes in cli.h. */
#define CLI_BAYES_LONGOPTS                                          \
    {"tau-prior", required_argument, NULL, OPT_TAU_PRIOR},          \
    {"mu-prior", required_argument, NULL, OPT_MU_PRIOR},            \
    {"margin", required_argument, NULL, OPT_BAYES_MARGIN}

/* --level as a probability (0.95) or a percentage (95); -1 after a usage error. */
int cli_bayes_level(const char *cmd, const char *arg, double *level);

/* Handle --tau-prior, --mu-prior, --level, --margin (codes OPT_TAU_PRIOR... of
 * cmd_bayes.c, passed by the caller's option table). Returns 1 handled, 0 not ours, -1
 * usage error printed. Sets *prior_set when --tau-prior was given. */
int cli_bayes_opt(ma_bayes_opts_t *o, int opt, const char *arg, const char *cmd, int *prior_set);

/* Checks once the data are read: the default prior needs a standardized measure.
 * Returns 0 or an exit status after a usage error. */
int cli_bayes_defaults(const char *cmd, const cli_common_t *c, const ma_dataset_t *d,
                       ma_bayes_opts_t *o, int prior_set);

#endif
