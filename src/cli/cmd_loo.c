/* iastm loo: placeholder until the command is implemented. */
#include "cli.h"

int cmd_loo(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm loo: not available in this build\n");
    return 1;
}
