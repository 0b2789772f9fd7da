/* iastm claims: placeholder until the command is implemented. */
#include "cli.h"

int cmd_claims(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "iastm claims: not available in this build\n");
    return 1;
}
