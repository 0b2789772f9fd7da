/* gnuplot driver: script text with inert quoting of data text, and an atomic runner. */
#include "iastm/gnuplot.h"
#include "iastm/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int ma_plot_format_from_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return -1;
    if (!strcasecmp(dot, ".png"))
        return MA_PLOT_PNG;
    if (!strcasecmp(dot, ".svg"))
        return MA_PLOT_SVG;
    if (!strcasecmp(dot, ".pdf"))
        return MA_PLOT_PDF;
    return -1;
}

void ma_gp_init(ma_gp_script_t *s)
{
    memset(s, 0, sizeof *s);
}

void ma_gp_clear(ma_gp_script_t *s)
{
    free(s->buf);
    ma_gp_init(s);
}

static int reserve(ma_gp_script_t *s, size_t extra)
{
    size_t need, cap;
    char *p;
    if (s->failed)
        return 0;
    need = s->len + extra + 1;
    if (need <= s->cap)
        return 1;
    cap = s->cap ? s->cap : 4096;
    while (cap < need)
        cap *= 2;
    if (!(p = realloc(s->buf, cap))) {
        s->failed = 1;
        return 0;
    }
    s->buf = p;
    s->cap = cap;
    return 1;
}

static void append(ma_gp_script_t *s, const char *p, size_t n)
{
    if (!reserve(s, n))
        return;
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

void ma_gp_printf(ma_gp_script_t *s, const char *fmt, ...)
{
    va_list ap;
    int n;
    char small[256];
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        s->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        append(s, small, (size_t)n);
        return;
    }
    if (!reserve(s, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at p (1..4), 0 when invalid (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). *cp receives the code point. */
static size_t utf8_seq(const unsigned char *p, unsigned long *cp)
{
    unsigned long c;
    size_t n, i;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2, c = p[0] & 0x1Fu;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3, c = p[0] & 0x0Fu;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4, c = p[0] & 0x07u;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0u) != 0x80u)
            return 0;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* Control characters: C0, DEL and C1. */
static int is_control(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* gnuplot's scanner takes '' inside a single-quoted string as a quote only right after
 * an ordinary character of the string (scanner.c looks ahead from that character): a
 * leading quote or two quotes in a row end the string early. So a quote is never written
 * inside '...': the text is a concatenation of single-quoted runs and "\047" (a
 * double-quoted octal escape, with nothing for gnuplot to expand). */
typedef struct {
    ma_gp_script_t *s;
    int open; /* inside a '...' run */
    int any;  /* something emitted already */
} strexpr_t;

static void strexpr_put(strexpr_t *x, const char *p, size_t n)
{
    if (n == 1 && *p == '\'') {
        if (x->open)
            append(x->s, "'", 1);
        if (x->any)
            append(x->s, ".", 1);
        append(x->s, "\"\\047\"", 6);
        x->open = 0;
    } else {
        if (!x->open) {
            if (x->any)
                append(x->s, ".", 1);
            append(x->s, "'", 1);
            x->open = 1;
        }
        append(x->s, p, n);
    }
    x->any = 1;
}

static void strexpr_end(strexpr_t *x)
{
    if (x->open)
        append(x->s, "'", 1);
    else if (!x->any)
        append(x->s, "''", 2);
}

void ma_gp_quote(ma_gp_script_t *s, const char *text)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    strexpr_t x = {s, 0, 0};
    while (*p) {
        unsigned long cp;
        size_t n = utf8_seq(p, &cp);
        if (n == 0) {
            strexpr_put(&x, "?", 1);
            p++;
        } else if (is_control(cp)) {
            strexpr_put(&x, " ", 1);
            p += n;
        } else {
            strexpr_put(&x, (const char *)p, n);
            p += n;
        }
    }
    strexpr_end(&x);
}

/* Next cleaned character of *pp: 0 at the end, ' ' for a blank (space or control),
 * else its bytes in *src, *w (invalid UTF-8 as '?'). */
static int next_char(const unsigned char **pp, const char **src, size_t *w)
{
    const unsigned char *p = *pp;
    unsigned long cp;
    size_t n;
    if (!*p)
        return 0;
    n = utf8_seq(p, &cp);
    if (n == 0) {
        *pp = p + 1;
        *src = "?";
        *w = 1;
        return 1;
    }
    *pp = p + n;
    if (is_control(cp) || cp == ' ')
        return ' ';
    *src = (const char *)p;
    *w = n;
    return 1;
}

size_t ma_gp_clean(const char *in, char *out, size_t size, size_t maxchars)
{
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    const char *src = NULL;
    size_t total = 0, keep, len = 0, chars = 0, w = 0;
    int c, space = 0, cut;
    if (size == 0)
        return 0;
    /* Pass 1: characters after cleaning (blank runs count as one, none at the ends). */
    while ((c = next_char(&p, &src, &w)) != 0) {
        if (c == ' ') {
            space = total > 0;
            continue;
        }
        total += (size_t)space + 1;
        space = 0;
    }
    cut = maxchars > 0 && total > maxchars;
    keep = cut ? (maxchars > 3 ? maxchars - 3 : 0) : total;
    /* Pass 2: copy `keep` characters within `size` bytes (room kept for "..."). */
    p = (const unsigned char *)(in ? in : "");
    space = 0;
    while (chars < keep && (c = next_char(&p, &src, &w)) != 0) {
        if (c == ' ') {
            space = chars > 0;
            continue;
        }
        if (len + (size_t)space + w + 4 > size) {
            cut = 1;
            break;
        }
        if (space) {
            out[len++] = ' ';
            if (++chars == keep)
                break;
            space = 0;
        }
        memcpy(out + len, src, w);
        len += w;
        chars++;
    }
    if (cut) {
        while (len > 0 && out[len - 1] == ' ') {
            len--;
            chars--;
        }
        if (len + 3 < size) {
            memcpy(out + len, "...", 3);
            len += 3;
            chars += 3;
        }
    }
    out[len] = '\0';
    return chars;
}

#define CAIRO_FONTSCALE 0.75

void ma_gp_terminal(ma_gp_script_t *s, ma_plot_format_t fmt, double width_pt,
                    double height_pt, double font_pt, double png_scale)
{
    if (png_scale <= 0)
        png_scale = 1;
    /* Every terminal draws 1 font point and 1 line width unit as 1/72 inch of the page.
     * The cairo terminals set text through pango at 96 dpi on a 72 dpi surface (a font
     * of N comes out at 4/3 N) and pdfcairo halves fonts (fontscale 0.5) and lines
     * (0.5 pt) unless told otherwise: fontscale 0.75 (times the pixels per point for
     * pngcairo, which takes pixels) gives the size asked for. */
    switch (fmt) {
    case MA_PLOT_PNG:
        ma_gp_printf(s, "set terminal pngcairo size %.0f,%.0f noenhanced font '%s,%g' "
                        "fontscale %g linewidth %g background '#ffffff'\n",
                     width_pt * png_scale, height_pt * png_scale, MA_GP_FONT, font_pt,
                     CAIRO_FONTSCALE * png_scale, png_scale);
        break;
    case MA_PLOT_SVG:
        ma_gp_printf(s, "set terminal svg size %.0f,%.0f fixed noenhanced font '%s,%g' "
                        "background '#ffffff'\n",
                     width_pt, height_pt, MA_GP_FONT, font_pt);
        break;
    case MA_PLOT_PDF:
        ma_gp_printf(s, "set terminal pdfcairo size %.4fin,%.4fin noenhanced font '%s,%g' "
                        "fontscale %g linewidth 2\n",
                     width_pt / 72.0, height_pt / 72.0, MA_GP_FONT, font_pt, CAIRO_FONTSCALE);
        break;
    }
    /* point symbols do not follow fontscale: scale them with the pixels */
    ma_gp_printf(s, "set encoding utf8\nset pointsize %g\n",
                 fmt == MA_PLOT_PNG ? png_scale : 1.0);
}

void ma_gp_font(char *buf, size_t n, double size_pt, int bold)
{
    snprintf(buf, n, " font '%s%s,%g'", MA_GP_FONT, bold ? " Bold" : "", size_pt);
}

/* `set output` for a script the user runs: the path exactly (no cleaning), so control
 * characters are refused. gnuplot reads a name starting with '|' as a shell command and a
 * leading '~' as the home directory: a relative path is written as ./PATH unless it
 * starts with a character that gnuplot takes literally. */
ma_status_t ma_gp_output(ma_gp_script_t *s, const char *path, ma_error_t *err)
{
    const unsigned char *p;
    strexpr_t x = {s, 0, 0};
    for (p = (const unsigned char *)path; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return ma_error_set(err, MA_EUSAGE,
                                "output path contains a control character: not supported");
    if (!*path)
        return ma_error_set(err, MA_EUSAGE, "empty output path");
    ma_gp_printf(s, "set output ");
    p = (const unsigned char *)path;
    if (!(*p == '/' || *p == '.' || *p == '_' || (*p >= '0' && *p <= '9') ||
          (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
        strexpr_put(&x, "./", 2);
    for (; *p; p++)
        strexpr_put(&x, (const char *)p, 1);
    strexpr_end(&x);
    ma_gp_printf(s, "\n");
    return MA_OK;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Cairo stamps PDFs with the local time and its zone ("D:YYYYMMDDHHMMSSZ" or
 * "...+09'00"). gnuplot runs with TZ=UTC0, so the zone is always "Z"; the digits are
 * overwritten in place (same length: the cross-reference offsets stay valid). */
static int pdf_fix_date(int fd)
{
    static const char KEY[] = "/CreationDate (D:", FIXED[] = "20000101000000";
    struct stat st;
    char *buf, *hit;
    size_t n, got = 0, i;
    int rc = 0;
    if (fstat(fd, &st) != 0 || st.st_size <= 0)
        return -1;
    n = (size_t)st.st_size;
    if (!(buf = malloc(n)))
        return -1;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            return -1;
        }
        got += (size_t)r;
    }
    if (n < 5 || memcmp(buf, "%PDF-", 5) != 0) {
        free(buf);
        return 0;
    }
    for (hit = buf; (size_t)(hit - buf) + sizeof KEY - 1 + 14 <= n; hit++) {
        char *d = hit + sizeof KEY - 1;
        if (memcmp(hit, KEY, sizeof KEY - 1) != 0)
            continue;
        for (i = 0; i < 14 && d[i] >= '0' && d[i] <= '9'; i++)
            ;
        if (i == 14 && pwrite(fd, FIXED, 14, (off_t)(d - buf)) != 14)
            rc = -1;
    }
    free(buf);
    return rc;
}

/* First non-empty line of gnuplot's messages, for the error message. */
static void first_line(const char *msg, char *out, size_t size)
{
    const char *p = msg, *e;
    size_t n;
    while (*p == '\n' || *p == ' ' || *p == '\r')
        p++;
    e = strchr(p, '\n');
    n = e ? (size_t)(e - p) : strlen(p);
    if (n >= size)
        n = size - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

extern char **environ;

/* The environment gnuplot runs in: nothing of the caller's but PATH (to find the
 * program); no HOME (no user init files, no user font configuration), UTF-8 text, UTC
 * time stamps. Together with -d (no init files at all) the same script gives the same
 * bytes for every user. */
static char **clean_env(char *path_var, size_t size)
{
    static char *env[5];
    const char *path = getenv("PATH");
    snprintf(path_var, size, "PATH=%s", path && strlen(path) + 6 <= size ? path
                                                                         : "/usr/bin:/bin");
    env[0] = path_var;
    env[1] = (char *)(size_t)"LC_ALL=C.UTF-8"; /* execve's prototype predates const */
    env[2] = (char *)(size_t)"TZ=UTC0";
    env[3] = (char *)(size_t)"SOURCE_DATE_EPOCH=946684800";
    env[4] = NULL;
    return env;
}

ma_status_t ma_gp_render_fd(const char *program, const ma_gp_script_t *script, int out,
                            char *warnings, size_t warnsize, ma_error_t *err)
{
    char msg[4096], line[512], path_var[8192];
    int inpipe[2] = {-1, -1}, execpipe[2] = {-1, -1};
    FILE *errf = NULL;
    pid_t pid;
    int status = 0, exec_errno = 0, wfail = 0;
    struct sigaction ign, old;
    struct stat stt;
    size_t nmsg = 0;
    char **env;
    ma_status_t st;

    if (warnings && warnsize)
        warnings[0] = '\0';
    if (!program || !*program)
        program = "gnuplot";
    if (script->failed)
        return ma_error_set(err, MA_ENOMEM, "out of memory while writing the gnuplot script");
    if (fstat(out, &stt) != 0 || !S_ISREG(stt.st_mode) || stt.st_size != 0 ||
        lseek(out, 0, SEEK_SET) != 0)
        return ma_error_set(err, MA_EUSAGE, "the plot must be drawn into an empty file");
    env = clean_env(path_var, sizeof path_var);
    if (!(errf = tmpfile()) || pipe(inpipe) != 0 || pipe(execpipe) != 0 ||
        fcntl(execpipe[1], F_SETFD, FD_CLOEXEC) != 0) {
        st = ma_error_set(err, MA_EIO, "cannot start gnuplot: %s", strerror(errno));
        goto fail;
    }
    fflush(NULL);
    if ((pid = fork()) < 0) {
        st = ma_error_set(err, MA_EIO, "cannot start gnuplot: %s", strerror(errno));
        goto fail;
    }
    if (pid == 0) {
        /* Child: the script on stdin, the plot to stdout (gnuplot writes there when no
         * output is set, so it never sees a file name), messages to the capture file, no
         * shell, no init files (-d), a fixed environment. */
        char *argv[3];
        int e;
        argv[0] = (char *)(size_t)program; /* execvp's prototype predates const */
        argv[1] = (char *)(size_t)"-d";
        argv[2] = NULL;
        if (dup2(inpipe[0], 0) < 0 || dup2(out, 1) < 0 || dup2(fileno(errf), 2) < 0)
            _exit(127);
        close(inpipe[0]);
        close(inpipe[1]);
        close(execpipe[0]);
        environ = env; /* execvp searches this PATH and passes this environment */
        execvp(program, argv);
        e = errno;
        if (write(execpipe[1], &e, sizeof e) < 0)
            _exit(127);
        _exit(127);
    }
    close(inpipe[0]);
    inpipe[0] = -1;
    close(execpipe[1]);
    execpipe[1] = -1;
    {
        ssize_t r;
        do
            r = read(execpipe[0], &exec_errno, sizeof exec_errno);
        while (r < 0 && errno == EINTR);
        if (r != (ssize_t)sizeof exec_errno)
            exec_errno = 0;
    }
    /* A gnuplot that stops reading must give an error, not kill us with SIGPIPE. */
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    if (!exec_errno)
        wfail = write_all(inpipe[1], script->buf ? script->buf : "", script->len) != 0 ||
                write_all(inpipe[1], "\nunset output\n", 14) != 0;
    close(inpipe[1]);
    inpipe[1] = -1;
    sigaction(SIGPIPE, &old, NULL);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            st = ma_error_set(err, MA_EEXTERNAL, "waiting for gnuplot: %s", strerror(errno));
            goto fail;
        }
    if (exec_errno) {
        st = ma_error_set(err, MA_EEXTERNAL,
                          "cannot run '%s': %s (install gnuplot, or name the program with "
                          "--gnuplot PATH)", program, strerror(exec_errno));
        goto fail;
    }
    rewind(errf);
    nmsg = fread(msg, 1, sizeof msg - 1, errf);
    msg[nmsg] = '\0';
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        first_line(msg, line, sizeof line);
        if (WIFSIGNALED(status))
            st = ma_error_set(err, MA_EEXTERNAL, "'%s' was killed by signal %d%s%s", program,
                              WTERMSIG(status), *line ? ": " : "", line);
        else
            st = ma_error_set(err, MA_EEXTERNAL, "'%s' failed (exit status %d)%s%s", program,
                              WEXITSTATUS(status), *line ? ": " : "", line);
        goto fail;
    }
    if (wfail) {
        st = ma_error_set(err, MA_EEXTERNAL, "'%s' stopped reading the script", program);
        goto fail;
    }
    if (fstat(out, &stt) != 0 || stt.st_size == 0) {
        first_line(msg, line, sizeof line);
        st = ma_error_set(err, MA_EEXTERNAL, "'%s' wrote nothing%s%s", program,
                          *line ? ": " : "", line);
        goto fail;
    }
    if (pdf_fix_date(out) != 0) {
        st = ma_error_set(err, MA_EIO, "cannot rewrite the PDF date: %s", strerror(errno));
        goto fail;
    }
    if (warnings && warnsize) {
        size_t n = nmsg < warnsize - 1 ? nmsg : warnsize - 1;
        memcpy(warnings, msg, n);
        warnings[n] = '\0';
    }
    st = MA_OK;
fail:
    if (errf)
        fclose(errf);
    if (inpipe[0] >= 0)
        close(inpipe[0]);
    if (inpipe[1] >= 0)
        close(inpipe[1]);
    if (execpipe[0] >= 0)
        close(execpipe[0]);
    if (execpipe[1] >= 0)
        close(execpipe[1]);
    return st;
}

ma_status_t ma_gp_render(const char *program, const ma_gp_script_t *script,
                         const char *output, char *warnings, size_t warnsize,
                         ma_error_t *err)
{
    ma_outfile_t o;
    ma_status_t st;
    if ((st = ma_outfile_open(&o, output, err)) != MA_OK)
        return st;
    if (fflush(o.f) != 0)
        st = ma_error_set(err, MA_EIO, "%s: write error: %s", output, strerror(errno));
    else
        st = ma_gp_render_fd(program, script, fileno(o.f), warnings, warnsize, err);
    if (st != MA_OK) {
        ma_outfile_discard(&o);
        return st;
    }
    return ma_outfile_commit(&o, err);
}
