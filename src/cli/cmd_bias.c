/* iastm bias: placeholder until the command is implemented. */
#include "cli.h"

int cmd_bias(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm bias: not available in this build\n");
    return 1;
}
