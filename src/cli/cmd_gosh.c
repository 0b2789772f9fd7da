/* iastm gosh: placeholder until the command is implemented. */
#include "cli.h"

int cmd_gosh(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm gosh: not available in this build\n");
    return 1;
}
