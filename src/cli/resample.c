/* Options shared by the resampling commands: threads, seed, progress, Ctrl-C. */
#include "resample.h"

#include <errno.h>
#include <stdlib.h>

const char CLI_RESAMPLE_HELP[] =
    "Long runs:\n"
    "  --threads N          worker threads (default: one per CPU)\n"
    "  --seed S             seed of the random draws (default 1); results do not depend\n"
    "                       on --threads\n"
    "  --progress, --no-progress\n"
    "                       progress bar on stderr (default: when stderr is a terminal\n"
    "                       and the run takes over a second). Ctrl-C stops the run and\n"
    "                       writes nothing (exit status 130)\n";

int cli_parse_count(const char *cmd, const char *opt, const char *arg, uint64_t lo,
                    uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long x;
    const char *p = arg;
    while (*p == ' ')
        p++;
    errno = 0;
    x = strtoull(p, &end, 10);
    if (*p == '-' || *p == '+' || end == p || *end != '\0' || errno == ERANGE || x < lo ||
        x > hi) {
        cli_usage_error(cmd, "%s must be a whole number from %llu to %llu, got '%s'", opt,
                        (unsigned long long)lo, (unsigned long long)hi, arg);
        return -1;
    }
    *out = x;
    return 0;
}

int cli_resample_opt(ma_run_opts_t *run, uint64_t *seed, int opt, const char *arg,
                     const char *cmd)
{
    uint64_t x;
    switch (opt) {
    case OPT_THREADS:
        if (cli_parse_count(cmd, "--threads", arg, 1, 1024, &x) < 0)
            return -1;
        run->threads = (unsigned)x;
        return 1;
    case OPT_SEED:
        if (cli_parse_count(cmd, "--seed", arg, 0, UINT64_MAX, &x) < 0)
            return -1;
        *seed = x;
        return 1;
    case OPT_NO_PROGRESS:
        run->progress = 0;
        return 1;
    case OPT_PROGRESS:
        run->progress = 1;
        return 1;
    default:
        return 0;
    }
}

int cli_interrupted(const char *cmd)
{
    fprintf(stderr, "iastm %s: interrupted; no results written\n", cmd);
    return 130;
}
