/* iastm regress: placeholder until the command is implemented. */
#include "cli.h"

int cmd_regress(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm regress: not available in this build\n");
    return 1;
}
