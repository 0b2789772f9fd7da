/* Signal handlers of the command line: temporary files removed on a fatal signal, and a
 * first Ctrl-C that asks a long run to stop. */
#include "signals.h"

#include <string.h>

#include "iastm/outfile.h"

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

void cli_signals_install(void)
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

void cli_interrupt_install(void)
{
    soft_sigint = 1;
    cli_signals_install();
}

const volatile sig_atomic_t *cli_interrupt_flag(void)
{
    return &interrupt_flag;
}

int cli_interrupt_pending(void)
{
    return interrupt_flag != 0;
}
