/* Options shared by the resampling commands: threads, seed, progress, Ctrl-C. */
#include "resample.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "signals.h"

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

/* --progress (1), --no-progress (0), or neither (-1: when stderr is a terminal). One
 * command runs per process, so the choice is kept here until cli_resample_start. */
static int progress_mode = -1;

/* The progress bar on stderr: redrawn in place; at the end the line is cleared, or ended
 * after an interrupt so that the message follows on its own line. */
static void progress_bar(void *arg, ma_progress_event_t ev, const char *label, uint64_t done,
                         uint64_t total, double elapsed)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    double frac = total ? (double)done / (double)total : 0;
    int i, fill;
    (void)arg;
    if (ev != MA_PROGRESS_UPDATE) {
        if (ev == MA_PROGRESS_STOPPED)
            fprintf(stderr, "\n");
        else
            fprintf(stderr, "\r%*s\r", 78, "");
        fflush(stderr);
        return;
    }
    if (frac > 1)
        frac = 1;
    fill = (int)(frac * WIDTH);
    for (i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = '\0';
    if (frac > 0.01 && frac < 1)
        fprintf(stderr, "\r%s [%s] %3d%%  %.0f s, about %.0f s left ", label, bar,
                (int)(100 * frac), elapsed, elapsed * (1 - frac) / frac);
    else
        fprintf(stderr, "\r%s [%s] %3d%%  %.0f s                ", label, bar,
                (int)(100 * frac), elapsed);
    fflush(stderr);
}

void cli_resample_start(ma_run_opts_t *run)
{
    int show = progress_mode < 0 ? isatty(STDERR_FILENO) : progress_mode;
    run->progress = show ? progress_bar : NULL;
    run->progress_arg = NULL;
    run->cancel = cli_interrupt_flag();
    cli_interrupt_install();
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
        progress_mode = 0;
        return 1;
    case OPT_PROGRESS:
        progress_mode = 1;
        return 1;
    default:
        return 0;
    }
}

void cli_seed_field(ma_writer_t *w, int exact, uint64_t seed)
{
    if (exact)
        ma_writer_str(w, "seed", NULL);
    else
        ma_writer_num(w, "seed", (double)seed);
}

int cli_interrupted(const char *cmd)
{
    fprintf(stderr, "iastm %s: interrupted; no results written\n", cmd);
    return 130;
}
