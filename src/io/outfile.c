/* Output files: a temporary file beside the target, renamed over it on commit; a registry
 * of temporary names that signal handlers can remove. */
#include "iastm/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Registry of temporary files. Only the main thread registers; a signal handler reads a
 * slot only while `used` is set, and `used` is set after the path is complete. */
#define NSLOTS 32
static char reg_path[NSLOTS][MA_OUTFILE_PATH];
static volatile sig_atomic_t reg_used[NSLOTS];

static int reg_add(const char *path)
{
    int i;
    for (i = 0; i < NSLOTS; i++)
        if (!reg_used[i]) {
            memcpy(reg_path[i], path, strlen(path) + 1);
            atomic_signal_fence(memory_order_seq_cst);
            reg_used[i] = 1;
            return i;
        }
    return -1;
}

static void reg_drop(int slot)
{
    if (slot >= 0 && slot < NSLOTS)
        reg_used[slot] = 0;
}

void ma_outfile_remove_all(void)
{
    int i;
    for (i = 0; i < NSLOTS; i++)
        if (reg_used[i]) {
            unlink(reg_path[i]);
            reg_used[i] = 0;
        }
}

int ma_outfile_bad_name(const char *path)
{
    const unsigned char *p;
    for (p = (const unsigned char *)path; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return 1;
    return 0;
}

/* Follow a chain of symbolic links from `path` (dangling links included) to the name
 * that a rename must replace. 0, or an errno value. */
static int follow_links(const char *path, char *out, size_t size)
{
    char link[MA_OUTFILE_PATH], next[MA_OUTFILE_PATH];
    struct stat st;
    int hops;
    if (strlen(path) >= size)
        return ENAMETOOLONG;
    memcpy(out, path, strlen(path) + 1);
    for (hops = 0; hops < 40; hops++) {
        ssize_t n;
        const char *slash;
        if (lstat(out, &st) != 0 || !S_ISLNK(st.st_mode))
            return 0;
        if ((n = readlink(out, link, sizeof link - 1)) < 0)
            return errno;
        link[n] = '\0';
        slash = strrchr(out, '/');
        if (link[0] == '/' || !slash) {
            if ((size_t)n >= size)
                return ENAMETOOLONG;
            memcpy(out, link, (size_t)n + 1);
        } else {
            int w = snprintf(next, sizeof next, "%.*s/%s", (int)(slash - out), out, link);
            if (w < 0 || (size_t)w >= size || (size_t)w >= sizeof next)
                return ENAMETOOLONG;
            memcpy(out, next, (size_t)w + 1);
        }
    }
    return ELOOP;
}

ma_status_t ma_outfile_open(ma_outfile_t *o, const char *path, ma_error_t *err)
{
    struct stat st;
    const char *slash;
    mode_t mask;
    int fd, e;

    memset(o, 0, sizeof *o);
    o->slot = -1;
    if (!path || !*path)
        return ma_error_set(err, MA_EUSAGE, "empty output file name");
    if (ma_outfile_bad_name(path))
        return ma_error_at(err, MA_EUSAGE, NULL, 0, NULL, path,
                           "output file name contains a control character:");
    if (strlen(path) >= sizeof o->path)
        return ma_error_set(err, MA_EUSAGE, "output path too long");
    memcpy(o->path, path, strlen(path) + 1);
    mask = umask(0);
    umask(mask);
    o->mode = 0666 & ~(unsigned)mask;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return ma_error_at(err, MA_EIO, path, 0, NULL, NULL,
                               "cannot write: is a directory");
        if (!S_ISREG(st.st_mode)) {
            /* A device or FIFO cannot be replaced by a rename (and must not be, as root). */
            if (!(o->f = tmpfile()))
                return ma_error_at(err, MA_EIO, path, 0, NULL, NULL,
                                   "cannot write (creating a temporary file): %s",
                                   strerror(errno));
            fcntl(fileno(o->f), F_SETFD, FD_CLOEXEC); /* not for gnuplot's eyes */
            memcpy(o->target, path, strlen(path) + 1);
            o->direct = 1;
            return MA_OK;
        }
        o->mode = (unsigned)(st.st_mode & 07777);
    }
    if ((e = follow_links(path, o->target, sizeof o->target)) != 0)
        return ma_error_at(err, MA_EIO, path, 0, NULL, NULL, "cannot write: %s", strerror(e));
    /* A short name of our own beside the target: never longer than the directory allows,
     * and only letters, digits, '.' and '-'. */
    slash = strrchr(o->target, '/');
    if (!slash)
        e = snprintf(o->tmp, sizeof o->tmp, ".iastm-XXXXXX");
    else
        e = snprintf(o->tmp, sizeof o->tmp, "%.*s/.iastm-XXXXXX", (int)(slash - o->target),
                     o->target);
    if (e < 0 || (size_t)e >= sizeof o->tmp)
        return ma_error_at(err, MA_EIO, path, 0, NULL, NULL, "cannot write: path too long");
    if ((fd = mkstemp(o->tmp)) < 0) {
        e = errno;
        o->tmp[0] = '\0';
        return ma_error_at(err, MA_EIO, path, 0, NULL, NULL,
                           "cannot write (creating a temporary file in its directory): %s",
                           strerror(e));
    }
    if ((o->slot = reg_add(o->tmp)) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
        !(o->f = fdopen(fd, "w"))) {
        e = o->slot < 0 ? EMFILE : errno;
        close(fd);
        ma_outfile_discard(o);
        return ma_error_at(err, MA_EIO, path, 0, NULL, NULL, "cannot write: %s", strerror(e));
    }
    return MA_OK;
}

ma_status_t ma_outfile_close(ma_outfile_t *o, ma_error_t *err)
{
    int failed, e = 0;
    if (!o->f)
        return MA_OK;
    failed = ferror(o->f) != 0;
    errno = 0;
    if (fflush(o->f) != 0) {
        failed = 1;
        e = errno;
    }
    if (!o->direct) {
        /* mkstemp creates 0600: the result gets the replaced file's mode (or the default) */
        if (!failed && fchmod(fileno(o->f), (mode_t)o->mode) != 0) {
            failed = 1;
            e = errno;
        }
        if (fclose(o->f) != 0 && !failed) {
            failed = 1;
            e = errno;
        }
        o->f = NULL;
    }
    /* a direct target's anonymous file stays open until the commit copies it */
    if (failed) {
        ma_outfile_discard(o);
        if (e)
            return ma_error_at(err, MA_EIO, o->path, 0, NULL, NULL, "write error: %s",
                               strerror(e));
        return ma_error_at(err, MA_EIO, o->path, 0, NULL, NULL, "write error");
    }
    return MA_OK;
}

/* Copy the anonymous temporary file to a device or FIFO. */
static ma_status_t copy_direct(ma_outfile_t *o, ma_error_t *err)
{
    char buf[1 << 15];
    size_t n;
    int e = 0, failed = 0;
    FILE *to = fopen(o->target, "w");
    if (!to)
        return ma_error_at(err, MA_EIO, o->path, 0, NULL, NULL, "cannot write: %s",
                           strerror(errno));
    rewind(o->f);
    while (!failed && (n = fread(buf, 1, sizeof buf, o->f)) > 0)
        if (fwrite(buf, 1, n, to) != n) {
            failed = 1;
            e = errno;
        }
    if (ferror(o->f) && !failed) {
        failed = 1;
        e = errno;
    }
    errno = 0;
    if (fflush(to) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (fclose(to) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (failed)
        return e ? ma_error_at(err, MA_EIO, o->path, 0, NULL, NULL, "write error: %s",
                               strerror(e))
                 : ma_error_at(err, MA_EIO, o->path, 0, NULL, NULL, "write error");
    return MA_OK;
}

ma_status_t ma_outfile_commit(ma_outfile_t *o, ma_error_t *err)
{
    ma_status_t st;
    if ((st = ma_outfile_close(o, err)) != MA_OK)
        return st;
    if (o->direct) {
        if (!o->f)
            return ma_error_at(err, MA_EIO, o->path, 0, NULL, NULL, "nothing to write");
        st = copy_direct(o, err);
        fclose(o->f);
        o->f = NULL;
        return st;
    }
    if (!o->tmp[0])
        return ma_error_at(err, MA_EIO, o->path, 0, NULL, NULL, "nothing to write");
    if (rename(o->tmp, o->target) != 0) {
        int e = errno;
        ma_outfile_discard(o);
        return ma_error_at(err, MA_EIO, o->path, 0, NULL, NULL, "cannot replace: %s",
                           strerror(e));
    }
    reg_drop(o->slot);
    o->slot = -1;
    o->tmp[0] = '\0';
    return MA_OK;
}

void ma_outfile_discard(ma_outfile_t *o)
{
    if (o->f) {
        fclose(o->f);
        o->f = NULL;
    }
    if (o->tmp[0]) {
        unlink(o->tmp);
        o->tmp[0] = '\0';
    }
    reg_drop(o->slot);
    o->slot = -1;
}
