/* Unit tests: base (UTF-8, paths, buffers, diagnostics, reading files, the
 * character rule). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_utf8(void **state) {
    (void)state;
    size_t bad = 0;
    assert_true(rt_utf8_valid("Liège « ok » €", strlen("Liège « ok » €"), &bad));
    assert_false(rt_utf8_valid("ab\xC3", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(rt_utf8_valid("\xC0\xAF", 2, &bad));     /* overlong */
    assert_false(rt_utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
    unsigned cp;
    assert_int_equal(rt_utf8_decode("€", &cp), 3);
    assert_int_equal(cp, 0x20AC);
    char out[4];
    assert_int_equal(rt_utf8_encode(0x202F, out), 3);
    assert_memory_equal(out, "\xE2\x80\xAF", 3);
}

static void test_paths(void **state) {
    (void)state;
    char *d = rt_path_dir("issues/2026-05/issue.yaml");
    assert_string_equal(d, "issues/2026-05");
    char *j = rt_path_join(d, "articles/a.md");
    assert_string_equal(j, "issues/2026-05/articles/a.md");
    free(j);
    j = rt_path_join(d, "/abs/x");
    assert_string_equal(j, "/abs/x");
    free(j);
    free(d);
    d = rt_path_dir("issue.yaml");
    assert_string_equal(d, ".");
    free(d);
}

static void test_buf_and_format(void **state) {
    (void)state;
    rt_buf b = {0};
    rt_buf_adds(&b, "Page ");
    rt_buf_addf(&b, "%d/%d", 3, 12);
    char *s = rt_buf_steal(&b);
    assert_string_equal(s, "Page 3/12");
    free(s);
    s = rt_xasprintf("%s-%03d", "MAI26", 7);
    assert_string_equal(s, "MAI26-007");
    free(s);
}

static void test_diagnostics(void **state) {
    (void)state;
    char buf[512] = {0};
    FILE *f = fmemopen(buf, sizeof buf, "w");
    rt_diag d;
    rt_diag_init(&d, f);
    rt_error(&d, "a.yaml", 3, 7, "bad %s", "thing");
    rt_warning(&d, "b.md", 0, 0, "careful");
    rt_error(&d, NULL, 0, 0, "general");
    fclose(f);
    assert_int_equal(d.errors, 2);
    assert_int_equal(d.warnings, 1);
    assert_non_null(strstr(buf, "a.yaml:3:7: error: bad thing\n"));
    assert_non_null(strstr(buf, "b.md: warning: careful\n"));
    assert_non_null(strstr(buf, "rotative: error: general\n"));
}

static void test_read_file_limit(void **state) {
    (void)state;
    size_t len;
    char *s = rt_read_file("fonts/README.md", 0, &len);
    assert_non_null(s);
    assert_true(len > 100);
    free(s);
    assert_null(rt_read_file("fonts/README.md", 10, &len)); /* over the limit */
    assert_null(rt_read_file("no/such/file", 0, &len));
}

/* Anything but a regular file is refused without being read: a FIFO with
 * no writer would otherwise block forever. */
static void test_read_file_kinds(void **state) {
    (void)state;
    char dir[] = "/tmp/rt-base-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *fifo = rt_path_join(dir, "pipe.md");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    size_t len;
    errno = 0;
    assert_null(rt_read_file(fifo, 0, &len));
    assert_int_equal(errno, EINVAL);
    char *why = rt_read_problem(fifo, errno, 0);
    assert_string_equal(why, "it is a named pipe (FIFO), not a regular file");
    free(why);
    assert_null(rt_read_file(dir, 0, &len));
    assert_int_equal(errno, EISDIR);
    why = rt_read_problem(dir, errno, 0);
    assert_string_equal(why, "it is a folder, not a regular file");
    free(why);
    assert_null(rt_read_file("/dev/zero", 0, &len));
    why = rt_read_problem("/dev/zero", errno, 0);
    assert_string_equal(why, "it is a character device, not a regular file");
    free(why);
    assert_null(rt_read_file("fonts/README.md", 10, &len));
    why = rt_read_problem("fonts/README.md", errno, 10);
    assert_non_null(strstr(why, "too large ("));
    assert_non_null(strstr(why, "; at most 10 bytes)"));
    free(why);
    why = rt_read_problem("no/such/file", ENOENT, 0);
    assert_string_equal(why, "no such file");
    free(why);
    unlink(fifo);
    rmdir(dir);
    free(fifo);
}

/* EXIF orientation: both byte orders; anything short, foreign or out of
 * range reads as 1 (as stored), never past the data. */
static void test_exif_orientation(void **state) {
    (void)state;
    const unsigned char be[] = {'E',  'x',  'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1,
                                0x01, 0x12, 0,   3,   0, 0, 0,   1,   0, 6,  0, 0, 0, 0, 0, 0};
    const unsigned char le[] = {'E',  'x',  'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0,
                                0x12, 0x01, 3,   0,   1, 0, 0,   0,   8,  0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(rt_exif_orientation(be, sizeof be), 6);
    assert_int_equal(rt_exif_orientation(le, sizeof le), 8);
    for (size_t n = 0; n < 26; n++) /* cut anywhere before the value */
        assert_int_equal(rt_exif_orientation(be, n), 1);
    unsigned char bad[sizeof be];
    memcpy(bad, be, sizeof be);
    bad[25] = 9; /* out of range */
    assert_int_equal(rt_exif_orientation(bad, sizeof bad), 1);
    memcpy(bad, be, sizeof be);
    bad[19] = 4; /* a LONG, not a SHORT */
    assert_int_equal(rt_exif_orientation(bad, sizeof bad), 1);
    memcpy(bad, be, sizeof be);
    bad[14] = 0xFF; /* 65,000 entries claimed */
    bad[15] = 0xFF;
    assert_int_equal(rt_exif_orientation(bad, sizeof bad), 6); /* the first is read; no more */
    memcpy(bad, be, sizeof be);
    bad[10] = 0x7F; /* IFD0 far past the end */
    assert_int_equal(rt_exif_orientation(bad, sizeof bad), 1);
    memcpy(bad, be, sizeof be);
    bad[0] = 'X';
    assert_int_equal(rt_exif_orientation(bad, sizeof bad), 1);
}

static void test_char_problem(void **state) {
    (void)state;
    const char *why;
    static const unsigned fine[] = {'a',    '\t',   '\n',   0xE9,   0xA0,    0x2019,  0x202F,
                                    0xFDCF, 0xFDF0, 0xFFFD, 0xFEFF, 0x1F600, 0x10FFFD};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++)
        assert_null(rt_char_problem(fine[i], &why));
    static const unsigned control[] = {0, 1, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F};
    for (size_t i = 0; i < sizeof control / sizeof *control; i++)
        assert_string_equal(rt_char_problem(control[i], &why), "control character");
    /* all 66 noncharacters, and their neighbours */
    int nonchars = 0;
    for (unsigned cp = 0; cp <= 0x10FFFF; cp++) {
        const char *what = rt_char_problem(cp, NULL);
        if (what && strcmp(what, "noncharacter") == 0)
            nonchars++;
    }
    assert_int_equal(nonchars, 66);
    assert_string_equal(rt_char_problem(0xFDD0, &why), "noncharacter");
    assert_non_null(why);
    assert_string_equal(rt_char_problem(0xFDEF, &why), "noncharacter");
    assert_string_equal(rt_char_problem(0xFFFE, &why), "noncharacter");
    assert_string_equal(rt_char_problem(0x1FFFF, &why), "noncharacter");
    assert_string_equal(rt_char_problem(0x10FFFE, &why), "noncharacter");
    assert_string_equal(rt_char_problem(0xD800, &why), "surrogate");
    assert_string_equal(rt_char_problem(0xDFFF, &why), "surrogate");
    assert_string_equal(rt_char_problem(0x202E, &why), "invisible formatting character");
    assert_string_equal(rt_char_problem(0x2069, &why), "invisible formatting character");
    assert_string_equal(rt_char_problem(0x2028, &why), "invisible formatting character");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_buf_and_format),
        cmocka_unit_test(test_diagnostics),
        cmocka_unit_test(test_read_file_limit),
        cmocka_unit_test(test_read_file_kinds),
        cmocka_unit_test(test_char_problem),
        cmocka_unit_test(test_exif_orientation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
