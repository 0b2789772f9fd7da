/* iastm influence: placeholder until the command is implemented. */
#include "cli.h"

int cmd_influence(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm influence: not available in this build\n");
    return 1;
}
