/* iastm: the command-line front end. Parses the subcommand and hands over; all numbers
 * come from the library. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "command.h"
#include "signals.h"

const cli_cmd_t *const CLI_COMMANDS[] = {
    &CLI_CMD_ES, &CLI_CMD_AUDIT, &CLI_CMD_POOL, &CLI_CMD_REGRESS, &CLI_CMD_LOO, &CLI_CMD_CUMUL,
    &CLI_CMD_INFLUENCE, &CLI_CMD_BIAS, &CLI_CMD_FOREST, &CLI_CMD_FUNNEL, &CLI_CMD_BUBBLE,
    &CLI_CMD_EVIDENCE, &CLI_CMD_CLAIMS, &CLI_CMD_PERMUTEST, &CLI_CMD_GOSH, &CLI_CMD_BOOT,
    &CLI_CMD_BAYES, &CLI_CMD_MV,
};
const size_t CLI_NCOMMANDS = sizeof CLI_COMMANDS / sizeof CLI_COMMANDS[0];

static void usage(FILE *f)
{
    size_t i;
    fprintf(f,
            "Usage: iastm COMMAND [OPTIONS] FILE.csv\n"
            "Meta-analysis of trials of instrument-assisted soft tissue mobilization (IASTM);\n"
            "numbers match R metafor.\n\nCommands:\n");
    for (i = 0; i < CLI_NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", CLI_COMMANDS[i]->name, CLI_COMMANDS[i]->summary);
    fprintf(f,
            "\nExamples:\n"
            "  iastm es --measure SMD data/trials.csv\n"
            "  iastm pool --primary --where outcome=pain --where region=spine data/trials.csv\n"
            "  iastm pool --method DL --test knha --format json data/examples/bcg.csv\n"
            "\n'iastm COMMAND --help' describes a command. 'iastm --version' prints the version.\n");
}

/* Standard output is flushed here so that a full disk or a closed pipe is an error
 * (exit 1), not a silently truncated result. */
static int finish(int rc)
{
    int e;
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        e = errno;
        if (rc == 0) {
            if (e)
                fprintf(stderr, "iastm: standard output: write error: %s\n", strerror(e));
            else
                fprintf(stderr, "iastm: standard output: write error\n");
            rc = 1;
        }
    }
    return rc;
}

int main(int argc, char **argv)
{
    size_t i;
    gsl_set_error_handler_off();
    cli_help_init();
    cli_signals_install(); /* a fatal signal removes the temporary output files */
    if (argc < 2)
        return cli_usage_error(NULL, "no command given");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return finish(0);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("iastm %s\n", IASTM_VERSION);
        return finish(0);
    }
    for (i = 0; i < CLI_NCOMMANDS; i++)
        if (!strcmp(argv[1], CLI_COMMANDS[i]->name))
            return cli_outputs_finish(finish(cli_run(CLI_COMMANDS[i], argc - 1, argv + 1)));
    return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
}
