/* Unit tests: base (UTF-8, paths, buffers, diagnostics). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/base.h"

#include <stdlib.h>
#include <string.h>

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_buf_and_format),
        cmocka_unit_test(test_diagnostics),
        cmocka_unit_test(test_read_file_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
