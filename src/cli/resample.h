/* Options shared by the resampling commands (permutest, gosh, boot): threads, seed,
 * progress, and the exit on Ctrl-C. */
#ifndef IASTM_CLI_RESAMPLE_H
#define IASTM_CLI_RESAMPLE_H

#include <stdint.h>

#include "cli.h"
#include "iastm/progress.h"

#define CLI_RESAMPLE_LONGOPTS                                      \
    {"threads", required_argument, NULL, OPT_THREADS},             \
    {"seed", required_argument, NULL, OPT_SEED},                   \
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},           \
    {"progress", no_argument, NULL, OPT_PROGRESS}

extern const char CLI_RESAMPLE_HELP[];

/* Handle --threads, --seed, --progress, --no-progress. Returns 1 handled, 0 not ours,
 * -1 usage error printed. */
int cli_resample_opt(ma_run_opts_t *run, uint64_t *seed, int opt, const char *arg,
                     const char *cmd);

/* Before the run: the progress bar as chosen (or when stderr is a terminal), the
 * interrupt flag as the run's cancel flag, and the soft Ctrl-C handler installed. */
void cli_resample_start(ma_run_opts_t *run);

/* Whole number in [lo, hi] for option `opt`; -1 after a usage error. */
int cli_parse_count(const char *cmd, const char *opt, const char *arg, uint64_t lo,
                    uint64_t hi, uint64_t *out);

/* Field "seed" of a record: empty for an exact enumeration, which draws nothing. */
void cli_seed_field(ma_writer_t *w, int exact, uint64_t seed);

/* After MA_EINTR: say so on stderr and return 130 (128 + SIGINT). */
int cli_interrupted(const char *cmd);

#endif
