/* iastm boot: placeholder until the command is implemented. */
#include "cli.h"

int cmd_boot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm boot: not available in this build\n");
    return 1;
}
