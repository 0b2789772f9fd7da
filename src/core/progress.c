/* Long runs: worker threads, a progress bar on stderr when it is a terminal, Ctrl-C. */
#include "iastm/progress.h"
#include "iastm/outfile.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t interrupt_flag, soft_sigint;

/* Signals whose default action ends the process, and that a handler can catch. */
static const int FATAL_SIGNALS[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
#ifdef SIGXCPU
    SIGXCPU,
#endif
#ifdef SIGXFSZ
    SIGXFSZ,
#endif
#ifdef SIGVTALRM
    SIGVTALRM,
#endif
#ifdef SIGPROF
    SIGPROF,
#endif
};
#define NFATAL (sizeof FATAL_SIGNALS / sizeof FATAL_SIGNALS[0])

/* Async-signal-safe only: the first Ctrl-C of a long run sets the flag that workers
 * poll; any other fatal signal (or a second Ctrl-C) removes the temporary output files
 * and ends the process by the same signal, with its default action. */
static void on_signal(int sig)
{
    struct sigaction dfl;
    if (sig == SIGINT && soft_sigint && !interrupt_flag) {
        interrupt_flag = 1;
        return;
    }
    ma_outfile_remove_all();
    dfl.sa_handler = SIG_DFL;
    dfl.sa_flags = 0;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig); /* delivered when the handler returns and the signal is unblocked */
}

void ma_signals_install(void)
{
    static int installed;
    struct sigaction sa, old;
    size_t i;
    if (installed)
        return;
    installed = 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < NFATAL; i++)
        sigaddset(&sa.sa_mask, FATAL_SIGNALS[i]);
    for (i = 0; i < NFATAL; i++) {
        /* a signal ignored by whoever started us (nohup, a background job) stays so */
        if (sigaction(FATAL_SIGNALS[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(FATAL_SIGNALS[i], &sa, NULL);
    }
}

void ma_interrupt_install(void)
{
    soft_sigint = 1;
    ma_signals_install();
}

int ma_interrupted(void)
{
    return interrupt_flag != 0;
}

void ma_interrupt_request(void)
{
    interrupt_flag = 1;
}

void ma_interrupt_reset(void)
{
    interrupt_flag = 0;
}

void ma_run_opts_init(ma_run_opts_t *o)
{
    o->threads = 0;
    o->progress = -1;
}

unsigned ma_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (unsigned)n : 1u;
}

void ma_block(uint64_t total, unsigned t, unsigned n, uint64_t *begin, uint64_t *end)
{
    uint64_t q = total / n, r = total % n;
    *begin = t * q + (t < r ? t : r);
    *end = *begin + q + (t < r ? 1 : 0);
}

struct ma_progress {
    atomic_uint_fast64_t done;
};

void ma_progress_add(ma_progress_t *p, uint64_t units)
{
    if (p)
        atomic_fetch_add_explicit(&p->done, units, memory_order_relaxed);
}

typedef struct {
    ma_worker_fn fn;
    void *ctx;
    unsigned t, n;
    ma_progress_t *prog;
    ma_status_t status;
    pthread_mutex_t *mu;
    pthread_cond_t *cv;
    unsigned *finished;
} job_t;

static void *job_main(void *arg)
{
    job_t *j = arg;
    j->status = j->fn(j->ctx, j->t, j->n, j->prog);
    pthread_mutex_lock(j->mu);
    (*j->finished)++;
    pthread_cond_signal(j->cv);
    pthread_mutex_unlock(j->mu);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void draw_bar(const char *label, uint64_t done, uint64_t total, double elapsed)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    double frac = total ? (double)done / (double)total : 0;
    int i, fill;
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

ma_status_t ma_run_parallel(const ma_run_opts_t *o, unsigned max_threads, const char *label,
                            uint64_t total, ma_worker_fn fn, void *ctx, unsigned *used,
                            ma_error_t *err)
{
    unsigned n = o && o->threads ? o->threads : ma_cpu_count(), t, started = 0, finished = 0;
    int show = o ? o->progress : -1, drawn = 0;
    ma_progress_t prog;
    job_t *jobs;
    pthread_t *tid;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    ma_status_t st = MA_OK;
    double t0 = now_s();

    if (max_threads < 1)
        max_threads = 1;
    if (n > max_threads)
        n = max_threads;
    if (show < 0)
        show = isatty(STDERR_FILENO);
    if (used)
        *used = n;
    atomic_init(&prog.done, 0);
    jobs = calloc(n, sizeof *jobs);
    tid = calloc(n, sizeof *tid);
    if (!jobs || !tid) {
        free(jobs);
        free(tid);
        return ma_error_set(err, MA_ENOMEM, "out of memory (%u threads)", n);
    }
    for (t = 0; t < n; t++) {
        jobs[t] = (job_t){fn, ctx, t, n, &prog, MA_OK, &mu, &cv, &finished};
        if (pthread_create(&tid[t], NULL, job_main, &jobs[t]) != 0)
            break;
        started++;
    }
    if (started == 0) {
        free(jobs);
        free(tid);
        return ma_error_set(err, MA_ENOMEM, "cannot start a worker thread");
    }
    if (started < n) {
        /* Threads that failed to start: their share is run here. */
        for (t = started; t < n; t++) {
            jobs[t].status = fn(ctx, t, n, &prog);
        }
    }
    pthread_mutex_lock(&mu);
    while (finished < started) {
        if (show) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 200000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&cv, &mu, &ts);
            if (finished < started && now_s() - t0 > 1.0) {
                pthread_mutex_unlock(&mu);
                draw_bar(label, atomic_load(&prog.done), total, now_s() - t0);
                drawn = 1;
                pthread_mutex_lock(&mu);
            }
        } else {
            pthread_cond_wait(&cv, &mu);
        }
    }
    pthread_mutex_unlock(&mu);
    for (t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    if (drawn) {
        if (ma_interrupted())
            fprintf(stderr, "\n");
        else
            fprintf(stderr, "\r%*s\r", 78, "");
        fflush(stderr);
    }
    for (t = 0; t < n; t++)
        if (jobs[t].status != MA_OK) {
            st = jobs[t].status;
            break;
        }
    free(jobs);
    free(tid);
    if (st == MA_EINTR)
        return ma_error_set(err, MA_EINTR, "interrupted");
    if (st != MA_OK)
        ma_error_set(err, st, "a worker failed"); /* callers replace this with details */
    return st;
}
