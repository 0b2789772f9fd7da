/* Where the commands find the data files make install puts under $(PREFIX)/share/iastm. */
#include "cli.h"

#include <unistd.h>

#ifndef IASTM_DATADIR /* the Makefile passes $(DATADIR) */
#define IASTM_DATADIR "/usr/local/share/iastm"
#endif

const char CLI_DATADIR[] = IASTM_DATADIR;

const char *cli_data_file(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "data/%s", name);
    if (access(buf, F_OK) == 0)
        return buf;
    snprintf(buf, n, "%s/%s", CLI_DATADIR, name);
    return buf;
}
