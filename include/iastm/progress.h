/* Long runs: work split over POSIX threads, progress reported through a callback, and a
 * clean stop when a flag owned by the caller is set (the command line sets it from its
 * SIGINT handler). The library itself installs no signal handler and draws nothing. */
#ifndef IASTM_PROGRESS_H
#define IASTM_PROGRESS_H

#include <signal.h>
#include <stdint.h>
#include "error.h"

/* What a progress callback is told: an update (about every 0.2 s once the run has taken a
 * second), and, when at least one update was given, the end: DONE, or STOPPED when the
 * run was cancelled. */
typedef enum { MA_PROGRESS_UPDATE, MA_PROGRESS_DONE, MA_PROGRESS_STOPPED } ma_progress_event_t;

/* Called from the thread that called ma_run_parallel, never from a worker: `done` of
 * `total` units after `elapsed` seconds, for the run named `label`. */
typedef void (*ma_progress_fn)(void *arg, ma_progress_event_t ev, const char *label,
                               uint64_t done, uint64_t total, double elapsed);

typedef struct {
    unsigned threads;        /* worker threads; 0 = number of online CPUs (default) */
    ma_progress_fn progress; /* NULL: no progress reported (default) */
    void *progress_arg;      /* passed to `progress` */
    /* Owned by the caller, who may set it from a signal handler: once nonzero the workers
     * stop at their next check and the run returns MA_EINTR. NULL: never cancelled. */
    const volatile sig_atomic_t *cancel;
} ma_run_opts_t;

void ma_run_opts_init(ma_run_opts_t *o);
unsigned ma_cpu_count(void);
/* The threads of a run: o->threads (0 or o NULL: ma_cpu_count()), at most max_threads, at
 * least 1. */
unsigned ma_run_threads(const ma_run_opts_t *o, uint64_t max_threads);

/* Progress counter shared by the workers of one run. */
typedef struct ma_progress ma_progress_t;
void ma_progress_add(ma_progress_t *p, uint64_t units); /* thread-safe; accepts NULL */
/* 1 when the run's cancel flag is set: workers poll it and return MA_EINTR. Accepts NULL. */
int ma_progress_cancelled(const ma_progress_t *p);

/* One worker: thread t of n. Returns MA_OK, or an error code (MA_EINTR when it stopped
 * because ma_progress_cancelled()). */
typedef ma_status_t (*ma_worker_fn)(void *ctx, unsigned t, unsigned n, ma_progress_t *p);

/* Run `fn` on n = min(threads, max_threads) threads (max_threads >= 1) and wait for all.
 * `total` units of work are expected through ma_progress_add; o->progress is told about
 * them as described above, under `label`. Returns MA_OK, or the first error in thread
 * order (MA_EINTR after a cancellation), with `err` filled. *used gets n (may be
 * NULL). */
ma_status_t ma_run_parallel(const ma_run_opts_t *o, unsigned max_threads, const char *label,
                            uint64_t total, ma_worker_fn fn, void *ctx, unsigned *used,
                            ma_error_t *err);

/* Contiguous block [*begin, *end) of thread t of n over [0, total). */
void ma_block(uint64_t total, unsigned t, unsigned n, uint64_t *begin, uint64_t *end);

#endif
