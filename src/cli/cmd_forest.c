/* iastm forest: placeholder until the command is implemented. */
#include "cli.h"

int cmd_forest(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm forest: not available in this build\n");
    return 1;
}
