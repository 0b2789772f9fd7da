/* Long runs: work split over POSIX threads, a progress bar on a terminal, and a clean stop
 * on Ctrl-C (the SIGINT handler only sets a flag; workers poll it). */
#ifndef IASTM_PROGRESS_H
#define IASTM_PROGRESS_H

#include <stdint.h>
#include "error.h"

/* Install handlers for the signals that end the process (SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1/2, SIGXCPU, SIGXFSZ, ...; not those ignored at
 * start): they remove the temporary output files (ma_outfile_remove_all) and re-raise the
 * signal with its default action. Idempotent. */
void ma_signals_install(void);
/* The same, and the first SIGINT only sets the interrupt flag (workers poll it and stop
 * cleanly); a second SIGINT while the flag is set ends the process as above. */
void ma_interrupt_install(void);
int ma_interrupted(void);       /* 1 once SIGINT arrived (or ma_interrupt_request) */
void ma_interrupt_request(void); /* set the flag (async-signal-safe) */
void ma_interrupt_reset(void);   /* clear the flag */

typedef struct {
    unsigned threads; /* worker threads; 0 = number of online CPUs (default) */
    int progress;     /* -1: bar when stderr is a terminal (default); 0: never; 1: always */
} ma_run_opts_t;

void ma_run_opts_init(ma_run_opts_t *o);
unsigned ma_cpu_count(void);

/* Progress counter shared by the workers of one run. */
typedef struct ma_progress ma_progress_t;
void ma_progress_add(ma_progress_t *p, uint64_t units); /* thread-safe; accepts NULL */

/* One worker: thread t of n. Returns MA_OK, or an error code (MA_EINTR when it stopped
 * because ma_interrupted()). */
typedef ma_status_t (*ma_worker_fn)(void *ctx, unsigned t, unsigned n, ma_progress_t *p);

/* Run `fn` on n = min(threads, max_threads) threads (max_threads >= 1) and wait for all.
 * `total` units of work are expected through ma_progress_add; a bar labelled `label` is
 * drawn on stderr after the first second when enabled. Returns MA_OK, or the first error
 * in thread order (MA_EINTR after an interrupt), with `err` filled. *used gets n (may be
 * NULL). */
ma_status_t ma_run_parallel(const ma_run_opts_t *o, unsigned max_threads, const char *label,
                            uint64_t total, ma_worker_fn fn, void *ctx, unsigned *used,
                            ma_error_t *err);

/* Contiguous block [*begin, *end) of thread t of n over [0, total). */
void ma_block(uint64_t total, unsigned t, unsigned n, uint64_t *begin, uint64_t *end);

#endif
