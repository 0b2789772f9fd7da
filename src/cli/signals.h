/* The command line's signal handlers: a fatal signal removes the temporary output files
 * (ma_outfile_remove_all) and ends the process by the same signal; during a resampling
 * run the first Ctrl-C only sets the flag the run polls (ma_run_opts_t.cancel). */
#ifndef IASTM_CLI_SIGNALS_H
#define IASTM_CLI_SIGNALS_H

#include <signal.h>

/* Install handlers for the signals that end the process (SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1/2, SIGXCPU, SIGXFSZ, ...; not those ignored at
 * start): they remove the temporary output files and re-raise the signal with its default
 * action. Idempotent. */
void cli_signals_install(void);

/* The same, and the first SIGINT only sets the interrupt flag (a run polls it through
 * ma_run_opts_t.cancel and stops cleanly); a second SIGINT while the flag is set ends the
 * process as above. */
void cli_interrupt_install(void);

/* The interrupt flag, for ma_run_opts_t.cancel. */
const volatile sig_atomic_t *cli_interrupt_flag(void);

int cli_interrupt_pending(void); /* 1 once SIGINT arrived (soft mode) */

#endif
