/* iastm cumul: placeholder until the command is implemented. */
#include "cli.h"

int cmd_cumul(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm cumul: not available in this build\n");
    return 1;
}
