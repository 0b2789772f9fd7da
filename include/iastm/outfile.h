/* Output files replaced atomically: every result (table, plot, script, subsets file) is
 * written under a temporary name beside its target and moved into place only when the
 * caller commits it. One rule for all of them:
 *   - a symbolic link is followed: its target is replaced, the link stays;
 *   - the replaced file's permission bits are kept (a new file gets 0666 & ~umask);
 *   - a target that is not a regular file (a device such as /dev/null, a FIFO) cannot be
 *     renamed over: the content is kept in an anonymous temporary file and copied to it
 *     on commit;
 *   - temporary names are registered so that a fatal signal removes them: the library
 *     installs no handler; the program's handler calls ma_outfile_remove_all (the
 *     command line's do, src/cli/signals.c). */
#ifndef IASTM_OUTFILE_H
#define IASTM_OUTFILE_H

#include <stdio.h>
#include "error.h"

#define MA_OUTFILE_PATH 4096

typedef struct {
    FILE *f;                       /* write here; NULL once closed */
    char path[MA_OUTFILE_PATH];    /* as given, for messages */
    char target[MA_OUTFILE_PATH];  /* the file replaced on commit (a link's target) */
    char tmp[MA_OUTFILE_PATH];     /* the temporary file ("" for a direct target) */
    int direct;                    /* target is not a regular file: copied on commit */
    unsigned mode;                 /* permission bits given to the result */
    int slot;                      /* registry slot of `tmp`, -1 when none */
} ma_outfile_t;

/* Create the temporary file for `path` (DIR/.iastm-XXXXXX beside the target). MA_EUSAGE
 * for an empty path, a directory or a path with a control character; MA_EIO when the
 * temporary file cannot be created. On failure nothing is left behind. */
ma_status_t ma_outfile_open(ma_outfile_t *o, const char *path, ma_error_t *err);

/* Flush and close the stream, checking every error (the temporary file stays, not yet
 * committed). On failure the temporary file is removed and MA_EIO returned. */
ma_status_t ma_outfile_close(ma_outfile_t *o, ma_error_t *err);

/* Close if still open, then give the file its mode and rename it over the target (or
 * copy it to a direct target). On failure the target is left as it was. */
ma_status_t ma_outfile_commit(ma_outfile_t *o, ma_error_t *err);

/* Close and remove the temporary file; the target is untouched. Safe to call twice. */
void ma_outfile_discard(ma_outfile_t *o);

/* Remove every registered temporary file. Async-signal-safe (unlink only). */
void ma_outfile_remove_all(void);

/* 1 when `path` holds a control character (C0 or DEL): such names are refused. */
int ma_outfile_bad_name(const char *path);

#endif
