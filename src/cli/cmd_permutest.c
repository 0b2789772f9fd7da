/* iastm permutest: placeholder until the command is implemented. */
#include "cli.h"

int cmd_permutest(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm permutest: not available in this build\n");
    return 1;
}
