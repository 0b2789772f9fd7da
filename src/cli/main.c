/* iastm: the command-line front end. Parses the subcommand and hands over; all numbers
 * come from the library. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "signals.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command_t;

static const command_t COMMANDS[] = {
    {"es", cmd_es, "effect sizes (Hedges' g or MD) from every reported data form"},
    {"audit", cmd_audit, "data audit: SD or SE, GRIM, GRIMMER, p-values, scale ranges"},
    {"pool", cmd_pool, "common- and random-effects meta-analysis, subgroups (--by)"},
    {"regress", cmd_regress, "mixed-effects meta-regression on moderators"},
    {"loo", cmd_loo, "leave-one-out sensitivity analysis"},
    {"cumul", cmd_cumul, "cumulative meta-analysis"},
    {"influence", cmd_influence, "influence diagnostics (residuals, Cook's distance, ...)"},
    {"bias", cmd_bias, "small-study effects: Egger, Begg, trim-and-fill, fail-safe N"},
    {"forest", cmd_forest, "forest plot through gnuplot (PNG, SVG, PDF)"},
    {"funnel", cmd_funnel, "contour-enhanced funnel plot through gnuplot"},
    {"bubble", cmd_bubble, "meta-regression bubble plot on one moderator (gnuplot)"},
    {"evidence", cmd_evidence, "summary of findings with GRADE-style certainty"},
    {"claims", cmd_claims, "check clinical claims against the pooled evidence"},
    {"permutest", cmd_permutest, "permutation tests for the pooled effect and moderators"},
    {"gosh", cmd_gosh, "GOSH: fits of every subset of studies"},
    {"boot", cmd_boot, "bootstrap confidence intervals for the estimate and tau^2"},
    {"bayes", cmd_bayes, "Bayesian random-effects meta-analysis (prior on tau, quadrature)"},
    {"mv", cmd_mv, "dependent effects: multilevel / CHE model, CR2 robust inference"},
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *f)
{
    size_t i;
    fprintf(f,
            "Usage: iastm COMMAND [OPTIONS] FILE.csv\n"
            "Meta-analysis of trials of instrument-assisted soft tissue mobilization (IASTM);\n"
            "numbers match R metafor.\n\nCommands:\n");
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
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
    for (i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[1], COMMANDS[i].name))
            return cli_outputs_finish(finish(COMMANDS[i].run(argc - 1, argv + 1)));
    return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
}
