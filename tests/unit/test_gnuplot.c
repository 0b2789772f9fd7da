/* Unit tests for src/gnuplot.c and the plot layouts: quoting of hostile text, datablocks,
 * the generated scripts, and (when gnuplot is installed) rendering without side effects. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iastm/gnuplot.h"
#include "iastm/plot.h"

/* Labels that try to break out of gnuplot strings; $DIR is replaced by a fresh directory. */
static const char *const HOSTILE[] = {
    "x\" ; system \"touch $DIR/pwned\" ; print \"",
    "`touch $DIR/pwned2`",
    "x' ; system 'touch $DIR/pwned3' ; print '",
    "@macro",
    "line1\nsystem 'touch $DIR/pwned4'",
    "EOD",
    "back\\slash\\' ; system 'touch $DIR/pwned5",
    "M\xc3\xbcller 2019 \xe2\x80\x93 \xcf\x84\xc2\xb2 ^_{}&",
    "bad\xff\xfeutf8",
    /* apostrophes where gnuplot's '' escape does not work: first, doubled, alone */
    "'t Hooft 1999",
    "a''b ''",
    "'",
    "''",
    "x'''",
    "' ; system 'touch $DIR/pwned6' ; '",
};
#define NHOSTILE (sizeof HOSTILE / sizeof HOSTILE[0])

static char tmpdir[256];
static char hostile[NHOSTILE][512];

static void fill_hostile(void)
{
    size_t i;
    for (i = 0; i < NHOSTILE; i++) {
        const char *src = HOSTILE[i], *p;
        char *out = hostile[i];
        size_t n = 0;
        while ((p = strstr(src, "$DIR")) != NULL) {
            memcpy(out + n, src, (size_t)(p - src));
            n += (size_t)(p - src);
            n += (size_t)sprintf(out + n, "%s", tmpdir);
            src = p + 4;
        }
        strcpy(out + n, src);
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/iastm-gp-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    fill_hostile();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return testutil_rmdir(tmpdir);
}

static int have_gnuplot(void)
{
    const char *path = getenv("PATH");
    char dir[4096], file[4200];
    while (path && *path) {
        size_t n = strcspn(path, ":");
        if (n < sizeof dir) {
            memcpy(dir, path, n);
            dir[n] = '\0';
            snprintf(file, sizeof file, "%s/gnuplot", n ? dir : ".");
            if (access(file, X_OK) == 0)
                return 1;
        }
        path += n + (path[n] == ':');
    }
    return 0;
}

/* Every line of the script is free, outside strings, of characters that gnuplot would
 * act on ( " ` @ ; ), with one exception: the string "\047" (an apostrophe). Strings are
 * read as gnuplot's scanner reads them: inside '...' a pair '' is a quote only right
 * after an ordinary character of the string (any other quote ends the string), and two
 * strings are never side by side without the '.' that joins them (that would be a
 * syntax error). Datablock lines hold numbers only. */
static void assert_script_inert(const char *script)
{
    const char *line = script;
    int in_block = 0;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line), i;
        if (in_block) {
            if (n == 3 && !memcmp(line, "EOD", 3)) {
                in_block = 0;
            } else {
                for (i = 0; i < n; i++)
                    if (!strchr("0123456789eE.+- ", line[i])) {
                        print_error("datablock line not numeric: %.*s\n", (int)n, line);
                        fail();
                    }
            }
        } else if (n > 0 && line[0] != '#') {
            int after_string = 0; /* 1 just after a string, 2 after "string ." */
            for (i = 0; i < n; i++) {
                char c = line[i];
                int apos = c == '"' && i + 6 <= n && !memcmp(line + i, "\"\\047\"", 6);
                if (c == '\'' || apos) {
                    if (after_string == 1) {
                        print_error("two strings side by side: %.*s\n", (int)n, line);
                        fail();
                    }
                    if (apos) {
                        i += 5;
                    } else {
                        for (i++; i < n && line[i] != '\''; i++)
                            if (i + 2 < n && line[i + 1] == '\'' && line[i + 2] == '\'')
                                i += 2; /* gnuplot's look-ahead: an escaped quote */
                        if (i >= n) {
                            print_error("unterminated quote: %.*s\n", (int)n, line);
                            fail();
                        }
                    }
                    after_string = 1;
                } else if (strchr("\"`@;", c)) {
                    print_error("active character '%c' outside quotes: %.*s\n", c, (int)n,
                                line);
                    fail();
                } else if (c == '.' && after_string) {
                    after_string = 2;
                } else if (c != ' ') {
                    after_string = 0;
                }
            }
            if (strstr(line, "<< EOD") && (size_t)(strstr(line, "<< EOD") - line) < n)
                in_block = 1;
        }
        line += n + (end != NULL);
    }
    assert_int_equal(in_block, 0);
}

static void test_format_from_path(void **state)
{
    (void)state;
    assert_int_equal(ma_plot_format_from_path("a/b.png"), MA_PLOT_PNG);
    assert_int_equal(ma_plot_format_from_path("x.SVG"), MA_PLOT_SVG);
    assert_int_equal(ma_plot_format_from_path("x.pdf"), MA_PLOT_PDF);
    assert_int_equal(ma_plot_format_from_path("x.jpg"), -1);
    assert_int_equal(ma_plot_format_from_path("dir.png/x"), -1);
    assert_int_equal(ma_plot_format_from_path("noext"), -1);
}

static void test_quote(void **state)
{
    ma_gp_script_t s;
    (void)state;
    ma_gp_init(&s);
    ma_gp_quote(&s, "it's");
    assert_string_equal(s.buf, "'it'.\"\\047\".'s'");
    ma_gp_clear(&s);
    /* where gnuplot's '' escape fails: a leading quote, two in a row, a quote alone */
    ma_gp_quote(&s, "'t Hooft 1999");
    assert_string_equal(s.buf, "\"\\047\".'t Hooft 1999'");
    ma_gp_clear(&s);
    ma_gp_quote(&s, "a''b");
    assert_string_equal(s.buf, "'a'.\"\\047\".\"\\047\".'b'");
    ma_gp_clear(&s);
    ma_gp_quote(&s, "'");
    assert_string_equal(s.buf, "\"\\047\"");
    ma_gp_clear(&s);
    ma_gp_quote(&s, "");
    assert_string_equal(s.buf, "''");
    ma_gp_clear(&s);

    ma_gp_quote(&s, "a\nb\tc\rd\x7f" "e");
    assert_string_equal(s.buf, "'a b c d e'");
    ma_gp_clear(&s);
    ma_gp_quote(&s, "`x` @m \"q\" \\ ;");
    assert_string_equal(s.buf, "'`x` @m \"q\" \\ ;'"); /* inert inside '...' */
    ma_gp_clear(&s);
    ma_gp_quote(&s, "M\xc3\xbcller \xe2\x80\x93 \xf0\x9f\x98\x80");
    assert_string_equal(s.buf, "'M\xc3\xbcller \xe2\x80\x93 \xf0\x9f\x98\x80'");
    ma_gp_clear(&s);
    /* invalid UTF-8: stray continuation, overlong, surrogate, C1 control */
    ma_gp_quote(&s, "a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xc2\x85" "e");
    assert_string_equal(s.buf, "'a?b??c???d e'");
    ma_gp_clear(&s);
    ma_gp_quote(&s, NULL);
    assert_string_equal(s.buf, "''");
    ma_gp_clear(&s);
}

static void test_clean(void **state)
{
    char out[64];
    (void)state;
    assert_int_equal(ma_gp_clean("  a \n\t b  ", out, sizeof out, 0), 3);
    assert_string_equal(out, "a b");
    assert_int_equal(ma_gp_clean("abcdefghij", out, sizeof out, 8), 8);
    assert_string_equal(out, "abcde...");
    assert_int_equal(ma_gp_clean("abcdefgh", out, sizeof out, 8), 8);
    assert_string_equal(out, "abcdefgh");
    assert_int_equal(ma_gp_clean("\xcf\x84\xcf\x84\xcf\x84\xcf\x84\xcf\x84", out, sizeof out, 4),
                     4);
    assert_string_equal(out, "\xcf\x84...");
    assert_int_equal(ma_gp_clean("abc def", out, 6, 0), 5); /* cut by the buffer size */
    assert_string_equal(out, "ab...");
}

static void test_output_path(void **state)
{
    ma_gp_script_t s;
    ma_error_t err;
    (void)state;
    ma_gp_init(&s);
    assert_int_equal(ma_gp_output(&s, "it's a.png", &err), MA_OK);
    assert_string_equal(s.buf, "set output 'it'.\"\\047\".'s a.png'\n");
    ma_gp_clear(&s);
    assert_int_equal(ma_gp_output(&s, "a\nb.png", &err), MA_EUSAGE);
    ma_gp_clear(&s);
    assert_int_equal(ma_gp_output(&s, "", &err), MA_EUSAGE);
    ma_gp_clear(&s);
    /* names gnuplot would read as a pipe or a home directory stay plain file names */
    assert_int_equal(ma_gp_output(&s, "|touch M;x.png", &err), MA_OK);
    assert_string_equal(s.buf, "set output './|touch M;x.png'\n");
    ma_gp_clear(&s);
    assert_int_equal(ma_gp_output(&s, "~/x.png", &err), MA_OK);
    assert_string_equal(s.buf, "set output './~/x.png'\n");
    ma_gp_clear(&s);
    assert_int_equal(ma_gp_output(&s, "'x.png", &err), MA_OK);
    assert_string_equal(s.buf, "set output './'.\"\\047\".'x.png'\n");
    ma_gp_clear(&s);
    assert_int_equal(ma_gp_output(&s, "/abs/x.png", &err), MA_OK);
    assert_string_equal(s.buf, "set output '/abs/x.png'\n");
    ma_gp_clear(&s);

}

/* A forest plot whose every text field is hostile. */
static void hostile_forest(ma_gp_script_t *s, ma_plot_format_t fmt)
{
    ma_forest_row_t rows[NHOSTILE];
    ma_forest_group_t groups[2];
    ma_plot_excluded_t excl[NHOSTILE];
    ma_rma_t fit;
    ma_forest_t f;
    ma_forest_opts_t o;
    ma_error_t err;
    size_t i;
    memset(&fit, 0, sizeof fit);
    fit.k = NHOSTILE;
    fit.method_used = MA_METHOD_REML;
    fit.estimate = 0.3;
    fit.ci_lb = 0.1;
    fit.ci_ub = 0.5;
    fit.pi_lb = -0.2;
    fit.pi_ub = 0.8;
    fit.tau2 = 0.05;
    fit.I2 = 40;
    fit.Q = 12;
    fit.Q_df = (double)NHOSTILE - 1;
    fit.Q_p = 0.15;
    fit.stat = 2.9;
    fit.pval = 0.004;
    fit.df = NAN;
    memset(rows, 0, sizeof rows);
    for (i = 0; i < NHOSTILE; i++) {
        ma_forest_row_t *r = &rows[i];
        r->label = hostile[i];
        r->extra = hostile[NHOSTILE - 1 - i];
        r->comparator = hostile[(i + 2) % NHOSTILE];
        r->yi = 0.1 * (double)i - 0.2;
        r->ci_lb = r->yi - 0.4;
        r->ci_ub = r->yi + 0.4;
        r->weight = 100.0 / NHOSTILE;
        r->n1 = 20;
        r->n2 = 21;
        r->m1 = 3.5;
        r->sd1 = 1.2;
        r->m2 = 4.1;
        r->sd2 = 1.3;
        excl[i].label = hostile[i];
        excl[i].line = (long)i + 2;
        excl[i].reason = hostile[(i + 1) % NHOSTILE];
    }
    groups[0].name = hostile[0];
    groups[0].first = 0;
    groups[0].count = 4;
    groups[0].fit = &fit;
    groups[0].weight = 40;
    groups[1].name = hostile[1];
    groups[1].first = 4;
    groups[1].count = NHOSTILE - 4;
    groups[1].fit = &fit;
    groups[1].weight = 60;
    memset(&f, 0, sizeof f);
    f.rows = rows;
    f.nrows = NHOSTILE;
    f.groups = groups;
    f.ngroups = 2;
    f.overall = &fit;
    f.overall_label = hostile[2];
    f.Q_between = 1.5;
    f.Q_between_df = 1;
    f.Q_between_p = 0.22;
    f.excluded = excl;
    f.nexcluded = NHOSTILE;
    ma_forest_opts_init(&o);
    o.format = fmt;
    o.title = hostile[0];
    o.label_header = hostile[1];
    o.extra_header = hostile[3];
    o.comp_header = hostile[5];
    o.arm_labels[0] = hostile[6];
    o.arm_labels[1] = hostile[7];
    o.est_header = hostile[4];
    o.xlabel = hostile[6];
    o.favours_left = hostile[2];
    o.favours_right = hostile[7];
    o.xlim_lo = -0.5; /* some intervals leave the axis: arrows */
    o.xlim_hi = 0.8;
    assert_int_equal(ma_forest_script(&f, &o, s, &err), MA_OK);
}

static void test_forest_script_inert(void **state)
{
    ma_gp_script_t s;
    (void)state;
    ma_gp_init(&s);
    hostile_forest(&s, MA_PLOT_PNG);
    assert_false(s.failed);
    assert_script_inert(s.buf);
    /* the structure: terminal, no output, datablocks, one plot command */
    assert_non_null(strstr(s.buf, "set terminal pngcairo"));
    assert_null(strstr(s.buf, "set output"));
    assert_non_null(strstr(s.buf, "$squares << EOD\n"));
    assert_non_null(strstr(s.buf, "$whiskers << EOD\n"));
    assert_non_null(strstr(s.buf, "$arrows << EOD\n"));
    assert_non_null(strstr(s.buf, "\nplot "));
    assert_non_null(strstr(s.buf, "noenhanced"));
    /* each quote a "\047" of its own, the newline gone, UTF-8 kept */
    assert_non_null(strstr(s.buf, "'x'.\"\\047\".' ; system '.\"\\047\".'touch "));
    assert_non_null(strstr(s.buf, "'line1 system '.\"\\047\".'touch "));
    assert_non_null(strstr(s.buf, "\"\\047\".'t Hooft 1999'"));

    assert_non_null(strstr(s.buf, "M\xc3\xbcller 2019"));
    assert_non_null(strstr(s.buf, "bad??utf8"));
    ma_gp_clear(&s);
}

static void test_forest_errors(void **state)
{
    ma_forest_t f;
    ma_forest_opts_t o;
    ma_gp_script_t s;
    ma_error_t err;
    ma_forest_row_t r;
    (void)state;
    memset(&f, 0, sizeof f);
    ma_forest_opts_init(&o);
    ma_gp_init(&s);
    assert_int_equal(ma_forest_script(&f, &o, &s, &err), MA_EUSAGE); /* no rows */
    memset(&r, 0, sizeof r);
    r.label = "a";
    r.yi = 0.2;
    r.ci_lb = 0;
    r.ci_ub = 0.4;
    r.weight = NAN;
    r.n1 = r.n2 = r.m1 = r.m2 = r.sd1 = r.sd2 = NAN;
    f.rows = &r;
    f.nrows = 1;
    o.height_pt = 10; /* too small for the rows */
    assert_int_equal(ma_forest_script(&f, &o, &s, &err), MA_EUSAGE);
    o.height_pt = 0;
    assert_int_equal(ma_forest_script(&f, &o, &s, &err), MA_OK);
    assert_script_inert(s.buf);
    ma_gp_clear(&s);
}

static int file_exists(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return stat(path, &st) == 0;
}

static void test_render_hostile(void **state)
{
    static const ma_plot_format_t FMT[] = {MA_PLOT_PNG, MA_PLOT_SVG, MA_PLOT_PDF};
    static const char *const EXT[] = {"png", "svg", "pdf"};
    size_t i;
    (void)state;
    if (!have_gnuplot()) {
        print_message("gnuplot not installed: rendering tests skipped\n");
        skip();
    }
    for (i = 0; i < 3; i++) {
        ma_gp_script_t s;
        ma_error_t err;
        char out[512], warn[1024];
        struct stat st;
        ma_gp_init(&s);
        hostile_forest(&s, FMT[i]);
        snprintf(out, sizeof out, "%s/forest it's.%s", tmpdir, EXT[i]);
        if (ma_gp_render(NULL, &s, out, warn, sizeof warn, &err) != MA_OK) {
            print_error("%s\n", err.msg);
            fail();
        }
        assert_int_equal(stat(out, &st), 0);
        assert_true(st.st_size > 1000);
        ma_gp_clear(&s);
    }
    assert_false(file_exists("pwned"));
    assert_false(file_exists("pwned2"));
    assert_false(file_exists("pwned3"));
    assert_false(file_exists("pwned4"));
    assert_false(file_exists("pwned5"));
    assert_false(file_exists("pwned6"));
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    rewind(f);
    buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *n = (size_t)size;
    return buf;
}

static void test_render_deterministic(void **state)
{
    static const char *const EXT[] = {"png", "svg", "pdf"};
    static const ma_plot_format_t FMT[] = {MA_PLOT_PNG, MA_PLOT_SVG, MA_PLOT_PDF};
    size_t i;
    (void)state;
    if (!have_gnuplot()) {
        print_message("gnuplot not installed: rendering tests skipped\n");
        skip();
    }
    for (i = 0; i < 3; i++) {
        ma_gp_script_t s;
        ma_error_t err;
        char a[512], b[512], *x, *y;
        size_t nx, ny;
        ma_gp_init(&s);
        hostile_forest(&s, FMT[i]);
        snprintf(a, sizeof a, "%s/det1.%s", tmpdir, EXT[i]);
        snprintf(b, sizeof b, "%s/det2.%s", tmpdir, EXT[i]);
        assert_int_equal(ma_gp_render(NULL, &s, a, NULL, 0, &err), MA_OK);
        sleep(1); /* a time stamp would now differ */
        assert_int_equal(ma_gp_render(NULL, &s, b, NULL, 0, &err), MA_OK);
        x = slurp(a, &nx);
        y = slurp(b, &ny);
        assert_int_equal(nx, ny);
        assert_memory_equal(x, y, nx);
        free(x);
        free(y);
        ma_gp_clear(&s);
    }
}

/* Text with apostrophes reaches the drawing unchanged (SVG keeps it as written). */
static void test_render_apostrophes(void **state)
{
    static const char *const TEXT[] = {"'t Hooft 1999", "O''Brien ''", "'", "''", "x'''",
                                       "it's", "'' ; system 'touch pwned' ; ''"};
    ma_gp_script_t s;
    ma_error_t err;
    char out[512], want[128], *svg;
    size_t i, n;
    (void)state;
    if (!have_gnuplot()) {
        print_message("gnuplot not installed: rendering tests skipped\n");
        skip();
    }
    ma_gp_init(&s);
    ma_gp_terminal(&s, MA_PLOT_SVG, 400, 300, 10, 1);
    for (i = 0; i < sizeof TEXT / sizeof TEXT[0]; i++) {
        ma_gp_printf(&s, "set label ");
        ma_gp_quote(&s, TEXT[i]);
        ma_gp_printf(&s, " at screen 0.1, screen %.2f left noenhanced\n", 0.9 - 0.1 * (double)i);
    }
    ma_gp_printf(&s, "set xlabel ");
    ma_gp_quote(&s, "'x'");
    ma_gp_printf(&s, " noenhanced\nset xrange [0:1]\nset yrange [0:1]\n"
                     "plot NaN notitle\n");
    assert_script_inert(s.buf);
    snprintf(out, sizeof out, "%s/apostrophes.svg", tmpdir);
    if (ma_gp_render(NULL, &s, out, NULL, 0, &err) != MA_OK) {
        print_error("%s\n", err.msg);
        fail();
    }
    svg = slurp(out, &n);
    for (i = 0; i < sizeof TEXT / sizeof TEXT[0]; i++) {
        snprintf(want, sizeof want, "<text>%s</text>", TEXT[i]);
        if (!strstr(svg, want)) {
            print_error("not in the SVG: %s\n", want);
            fail();
        }
    }
    assert_non_null(strstr(svg, "<text>'x'</text>"));
    assert_false(file_exists("pwned"));
    free(svg);
    ma_gp_clear(&s);
}

static void test_render_errors(void **state)
{
    ma_gp_script_t s;
    ma_error_t err;
    char out[512];
    (void)state;
    ma_gp_init(&s);
    ma_gp_printf(&s, "set terminal pngcairo\nplot undefined_function_xyz(x)\n");
    snprintf(out, sizeof out, "%s/err.png", tmpdir);
    /* a missing program: a clear error, no file */
    assert_int_equal(ma_gp_render("/nonexistent/gnuplot", &s, out, NULL, 0, &err),
                     MA_EEXTERNAL);
    assert_non_null(strstr(err.msg, "cannot run '/nonexistent/gnuplot'"));
    assert_false(file_exists("err.png"));
    if (!have_gnuplot()) {
        ma_gp_clear(&s);
        print_message("gnuplot not installed: gnuplot error test skipped\n");
        skip();
    }
    /* a gnuplot error: non-zero exit reported with its message, no file left behind */
    assert_int_equal(ma_gp_render(NULL, &s, out, NULL, 0, &err), MA_EEXTERNAL);
    assert_non_null(strstr(err.msg, "undefined function"));
    assert_false(file_exists("err.png"));
    ma_gp_clear(&s);
    /* a script that draws nothing: an error, not an empty file */
    ma_gp_printf(&s, "set terminal pngcairo\n");
    assert_int_equal(ma_gp_render(NULL, &s, out, NULL, 0, &err), MA_EEXTERNAL);
    assert_non_null(strstr(err.msg, "wrote nothing"));
    assert_false(file_exists("err.png"));
    ma_gp_clear(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_from_path),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_output_path),
        cmocka_unit_test(test_forest_script_inert),
        cmocka_unit_test(test_forest_errors),
        cmocka_unit_test(test_render_hostile),
        cmocka_unit_test(test_render_deterministic),
        cmocka_unit_test(test_render_apostrophes),
        cmocka_unit_test(test_render_errors),
    };
    return cmocka_run_group_tests_name("gnuplot", tests, setup, teardown);
}
