/* Unit tests for src/outfile.c (atomic output files), the signal handlers of
 * src/cli/signals.c that remove temporary files, and write errors in src/writer.c. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iastm/outfile.h"
#include "iastm/progress.h"
#include "iastm/writer.h"
#include "cli/signals.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/iastm-out-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return testutil_rmdir(dir);
}

static const char *in_dir(const char *name)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void assert_content(const char *path, const char *want)
{
    char buf[256];
    size_t n;
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(buf, want);
}

/* Files in the directory whose name starts with `prefix`. */
static int count_prefix(const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (!strncmp(e->d_name, prefix, strlen(prefix)))
            n++;
    closedir(d);
    return n;
}

static void test_commit_and_discard(void **state)
{
    ma_outfile_t o;
    ma_error_t err;
    const char *t = in_dir("table.csv");
    struct stat st;
    (void)state;
    write_file(t, "earlier\n", 0600);
    /* discarded: the earlier file stays, no temporary file is left */
    assert_int_equal(ma_outfile_open(&o, t, &err), MA_OK);
    assert_non_null(strstr(o.tmp, "/.iastm-"));
    assert_int_equal(count_prefix(".iastm-"), 1);
    fputs("new\n", o.f);
    ma_outfile_discard(&o);
    assert_content(t, "earlier\n");
    assert_int_equal(count_prefix(".iastm-"), 0);
    /* committed: replaced, and the old mode (0600) kept */
    assert_int_equal(ma_outfile_open(&o, t, &err), MA_OK);
    fputs("new\n", o.f);
    assert_int_equal(ma_outfile_commit(&o, &err), MA_OK);
    assert_content(t, "new\n");
    assert_int_equal(stat(t, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(count_prefix(".iastm-"), 0);
    /* a new file gets the umask's default */
    {
        mode_t old = umask(022);
        const char *n = in_dir("new.csv");
        assert_int_equal(ma_outfile_open(&o, n, &err), MA_OK);
        assert_int_equal(ma_outfile_commit(&o, &err), MA_OK);
        assert_int_equal(stat(n, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0644);
        umask(old);
    }
}

static void test_symlinks(void **state)
{
    ma_outfile_t o;
    ma_error_t err;
    const char *target = in_dir("target.png"), *link = in_dir("link.png");
    const char *dangling = in_dir("dangling.png"), *made = in_dir("made.png");
    struct stat st;
    (void)state;
    write_file(target, "old\n", 0640);
    assert_int_equal(symlink("target.png", link), 0);
    assert_int_equal(ma_outfile_open(&o, link, &err), MA_OK);
    fputs("new\n", o.f);
    assert_int_equal(ma_outfile_commit(&o, &err), MA_OK);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* the link stays a link */
    assert_content(target, "new\n");
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    /* a dangling link: its target is created */
    assert_int_equal(symlink("made.png", dangling), 0);
    assert_int_equal(ma_outfile_open(&o, dangling, &err), MA_OK);
    fputs("made\n", o.f);
    assert_int_equal(ma_outfile_commit(&o, &err), MA_OK);
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_content(made, "made\n");
}

static void test_refused(void **state)
{
    ma_outfile_t o;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_outfile_open(&o, "", &err), MA_EUSAGE);
    assert_int_equal(ma_outfile_open(&o, in_dir("a\nb.csv"), &err), MA_EUSAGE);
    assert_int_equal(ma_outfile_open(&o, dir, &err), MA_EIO); /* a directory */
    assert_int_equal(ma_outfile_open(&o, in_dir("no/such/dir.csv"), &err), MA_EIO);
    assert_int_equal(count_prefix(".iastm-"), 0);
}

static void test_direct(void **state)
{
    ma_outfile_t o;
    ma_error_t err;
    (void)state;
    /* a device is written on commit, from an anonymous file */
    assert_int_equal(ma_outfile_open(&o, "/dev/null", &err), MA_OK);
    assert_true(o.direct);
    fputs("x\n", o.f);
    assert_int_equal(ma_outfile_commit(&o, &err), MA_OK);
    assert_int_equal(ma_outfile_open(&o, "/dev/full", &err), MA_OK);
    fputs("x\n", o.f);
    assert_int_equal(ma_outfile_commit(&o, &err), MA_EIO);
    assert_non_null(strstr(err.msg, "write error"));
}

/* In a child: install the handlers, open an output over an earlier file, tell the parent
 * the temporary name, then raise `sig` (twice for `twice`). */
static void child_raise(int sig, int soft, int twice, int ignore_first, int fd)
{
    ma_outfile_t o;
    ma_error_t err;
    const char *t = in_dir("sig.csv");
    signal(sig, ignore_first ? SIG_IGN : SIG_DFL);
    if (soft)
        cli_interrupt_install();
    else
        cli_signals_install();
    if (ma_outfile_open(&o, t, &err) != MA_OK)
        _exit(90);
    fputs("partial\n", o.f);
    fflush(o.f);
    if (write(fd, o.tmp, strlen(o.tmp) + 1) < 0)
        _exit(91);
    raise(sig);
    if (twice) {
        /* the first Ctrl-C only asked the run to stop */
        if (!cli_interrupt_pending() || access(o.tmp, F_OK) != 0)
            _exit(92);
        raise(sig);
    }
    _exit(ignore_first ? 0 : 93); /* only an ignored signal lets us get here */
}

static void run_signal(int sig, int soft, int twice, int ignore_first)
{
    int fds[2], status;
    char tmp[600] = "";
    ssize_t n;
    pid_t pid;
    write_file(in_dir("sig.csv"), "earlier\n", 0644);
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        child_raise(sig, soft, twice, ignore_first, fds[1]);
    }
    close(fds[1]);
    n = read(fds[0], tmp, sizeof tmp - 1);
    close(fds[0]);
    assert_true(n > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (ignore_first) {
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        unlink(tmp);
    } else {
        if (!WIFSIGNALED(status))
            print_error("signal %d: child exited with %d\n", sig, WEXITSTATUS(status));
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), sig); /* ended by the same signal */
    }
    assert_int_equal(access(tmp, F_OK), -1); /* the temporary file is gone */
    assert_content(in_dir("sig.csv"), "earlier\n");
}

static void test_signals_remove_temporary_files(void **state)
{
    static const int SIGS[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1,
                               SIGUSR2};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof SIGS / sizeof SIGS[0]; i++)
        run_signal(SIGS[i], 0, 0, 0);
    /* a long run: the first Ctrl-C sets the flag, the second ends the process */
    run_signal(SIGINT, 1, 1, 0);
    /* a soft Ctrl-C does not change the other signals */
    run_signal(SIGTERM, 1, 0, 0);
    /* a signal ignored by whoever started us stays ignored */
    run_signal(SIGHUP, 0, 0, 1);
    assert_int_equal(count_prefix(".iastm-"), 0);
}

/* A writer on a stream that fails: the failure is reported, never silent. */
static void test_writer_errors(void **state)
{
    static const ma_format_t FMT[] = {MA_FMT_CSV, MA_FMT_TSV, MA_FMT_JSON, MA_FMT_MD};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof FMT / sizeof FMT[0]; i++) {
        FILE *f = fopen("/dev/full", "w");
        ma_writer_t *w;
        ma_error_t err;
        assert_non_null(f);
        setvbuf(f, NULL, _IONBF, 0); /* each write fails at once */
        w = ma_writer_new(f, FMT[i]);
        assert_non_null(w);
        ma_writer_begin(w);
        ma_writer_str(w, "label", "a study");
        ma_writer_num(w, "yi", 0.5);
        ma_writer_end(w);
        assert_int_equal(ma_writer_finish(w, &err), MA_EIO);
        assert_non_null(strstr(err.msg, "No space left"));
        ma_writer_free(w);
        fclose(f);
    }
}

/* A csv record over 2 GiB: fprintf's int result cannot count it (EOVERFLOW, with the
 * stream's error flag clear), so the writer must write it whole with fwrite. Needs about
 * 6 GB of memory and 2 GB of disk: run with IASTM_BIG_TESTS=1. */
static void test_writer_huge_record(void **state)
{
    size_t n = ((size_t)1 << 31) + 100, want;
    char *label;
    const char *path = in_dir("huge.csv");
    FILE *f;
    ma_writer_t *w;
    ma_error_t err;
    struct stat st;
    (void)state;
    if (!getenv("IASTM_BIG_TESTS")) {
        print_message("IASTM_BIG_TESTS not set: the 2 GiB record test is skipped\n");
        skip();
    }
    if (!(label = malloc(n + 1))) {
        print_message("not enough memory: the 2 GiB record test is skipped\n");
        skip();
    }
    memset(label, 'a', n);
    label[n] = '\0';
    f = fopen(path, "w");
    assert_non_null(f);
    w = ma_writer_new(f, MA_FMT_CSV);
    ma_writer_begin(w);
    ma_writer_str(w, "study", label);
    ma_writer_num(w, "yi", 0.5);
    ma_writer_end(w);
    free(label);
    assert_int_equal(ma_writer_finish(w, &err), MA_OK);
    ma_writer_free(w);
    assert_int_equal(fclose(f), 0);
    want = strlen("study,yi\n") + n + strlen(",0.5\n");
    assert_int_equal(stat(path, &st), 0);
    assert_true((size_t)st.st_size == want);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_and_discard),
        cmocka_unit_test(test_symlinks),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_signals_remove_temporary_files),
        cmocka_unit_test(test_writer_errors),
        cmocka_unit_test(test_writer_huge_record),
    };
    return cmocka_run_group_tests_name("outfile", tests, setup, teardown);
}
