/* Long runs: worker threads, progress by callback, cancellation by a flag of the caller. */
#include "iastm/progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void ma_run_opts_init(ma_run_opts_t *o)
{
    o->threads = 0;
    o->progress = NULL;
    o->progress_arg = NULL;
    o->cancel = NULL;
}

unsigned ma_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (unsigned)n : 1u;
}

unsigned ma_run_threads(const ma_run_opts_t *o, uint64_t max_threads)
{
    unsigned n = o && o->threads ? o->threads : ma_cpu_count();
    if (max_threads < 1)
        max_threads = 1;
    return n > max_threads ? (unsigned)max_threads : n;
}

void ma_block(uint64_t total, unsigned t, unsigned n, uint64_t *begin, uint64_t *end)
{
    uint64_t q = total / n, r = total % n;
    *begin = t * q + (t < r ? t : r);
    *end = *begin + q + (t < r ? 1 : 0);
}

struct ma_progress {
    atomic_uint_fast64_t done;
    const volatile sig_atomic_t *cancel;
};

void ma_progress_add(ma_progress_t *p, uint64_t units)
{
    if (p)
        atomic_fetch_add_explicit(&p->done, units, memory_order_relaxed);
}

int ma_progress_cancelled(const ma_progress_t *p)
{
    return p && p->cancel && *p->cancel != 0;
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

ma_status_t ma_run_parallel(const ma_run_opts_t *o, unsigned max_threads, const char *label,
                            uint64_t total, ma_worker_fn fn, void *ctx, unsigned *used,
                            ma_error_t *err)
{
    unsigned n = ma_run_threads(o, max_threads), t, started = 0, finished = 0;
    ma_progress_fn show = o ? o->progress : NULL;
    int drawn = 0;
    ma_progress_t prog;
    job_t *jobs;
    pthread_t *tid;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    ma_status_t st = MA_OK;
    double t0 = now_s();

    if (used)
        *used = n;
    atomic_init(&prog.done, 0);
    prog.cancel = o ? o->cancel : NULL;
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
                show(o->progress_arg, MA_PROGRESS_UPDATE, label, atomic_load(&prog.done),
                     total, now_s() - t0);
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
    if (drawn)
        show(o->progress_arg, ma_progress_cancelled(&prog) ? MA_PROGRESS_STOPPED : MA_PROGRESS_DONE,
             label, atomic_load(&prog.done), total, now_s() - t0);
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
