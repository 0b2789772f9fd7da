/* iastm funnel: placeholder until the command is implemented. */
#include "cli.h"

int cmd_funnel(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm funnel: not available in this build\n");
    return 1;
}
