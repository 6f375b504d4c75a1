/* Unit tests: serve's escaping (HTML, JSON, YAML strings read back by the
 * message loader), newlines of text areas, amounts per language. The form
 * decoding itself runs through a real libmicrohttpd daemon in
 * tests/e2e/serve.sh and tests/fuzz/fuzz_form.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "load/load.h"
#include "serve/serve.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *html(const char *s) {
    rt_buf b = {0};
    rt_html_escape(&b, s, strlen(s));
    return rt_buf_steal(&b);
}

static void test_html(void **state) {
    (void)state;
    char *h = html("<script>alert(\"x\" & 'y')</script>");
    assert_string_equal(h, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
    free(h);
    h = html("Liège « ok »\n\tfin");
    assert_string_equal(h, "Liège « ok »\n\tfin");
    free(h);
    /* control characters and invalid UTF-8 become U+FFFD: the page stays
     * valid UTF-8 */
    h = html("a\x1b"
             "b\xff"
             "c\xc2\x85"
             "d");
    assert_string_equal(h, "a\xef\xbf\xbd"
                           "b\xef\xbf\xbd"
                           "c\xef\xbf\xbd"
                           "d");
    free(h);
    rt_buf b = {0};
    rt_html_escape(&b, "a\0b", 3);
    assert_string_equal(b.data, "a\xef\xbf\xbd"
                                "b");
    rt_buf_free(&b);
}

static void test_json(void **state) {
    (void)state;
    rt_buf b = {0};
    const char *s = "ligne \"1\"\n\\ <b>&\x01\xe2\x80\xa8";
    rt_json_string(&b, s, strlen(s));
    assert_string_equal(b.data, "\"ligne \\\"1\\\"\\n\\\\ \\u003cb\\u003e\\u0026\\u0001\\u2028\"");
    rt_buf_free(&b);
}

/* A value written as YAML and read back by the message loader. */
static char *yaml_round_trip(const char *value) {
    char dir[] = "/tmp/rotative-test-serve-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = rt_path_join(dir, "m.yaml");
    rt_buf y = {0};
    rt_buf_adds(&y, "from: ");
    rt_yaml_string(&y, value, strlen(value), 2);
    rt_buf_adds(&y, "\ntext: ");
    rt_yaml_string(&y, value, strlen(value), 2);
    rt_buf_adds(&y, "\nformat: \"1/16\"\ncontact: \"c\"\npayment:\n  amount: 30\n  reference: "
                    "\"R\"\n  status: paid\n");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fwrite(y.data, 1, y.len, f);
    fclose(f);
    rt_buf_free(&y);
    FILE *null = fopen("/dev/null", "w");
    rt_diag d;
    rt_diag_init(&d, null);
    rt_message m;
    char *got = NULL;
    if (rt_message_load(path, dir, NULL, &m, &d)) {
        assert_string_equal(m.from, m.text);
        got = rt_xstrdup(m.text);
        rt_message_clear(&m);
    }
    rt_diag_clear(&d);
    fclose(null);
    unlink(path);
    rmdir(dir);
    free(path);
    return got;
}

static void test_yaml(void **state) {
    (void)state;
    static const char *const values[] = {
        "Boulangerie \"Au Pain\"",
        "a\\b \\n \\\" \\x41",
        "Le 1er mai !\n\nSolidarité.",
        "  deux espaces devant\n   et trois\n\tet une tabulation",
        "fin\n\n\n",
        "x\"\nformat: \"1/1\"\npayment: {status: paid}",
        "# pas un commentaire\n- pas une liste\n--- pas un document\n...",
        "« guillemets » ’ — … €",
        "'simple' & <b>gras</b> &amp; &#1;",
        ": deux points\n? question\n|\n>",
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char *got = yaml_round_trip(values[i]);
        if (!got)
            fail_msg("not loaded: %s", values[i]);
        assert_string_equal(got, values[i]);
        free(got);
    }
    /* written on several lines of the file, one per line of text */
    rt_buf b = {0};
    rt_yaml_string(&b, "a\n b", 4, 2);
    assert_string_equal(b.data, "\"a\\n\\\n  \\x20b\"");
    rt_buf_free(&b);
    /* what YAML does not print is an escape */
    rt_yaml_string(&b, "\x1b\xc2\x85\xef\xbb\xbf\xe2\x80\xa8", 9, 2);
    assert_string_equal(b.data, "\"\\x1B\\x85\\uFEFF\\u2028\"");
    rt_buf_free(&b);
}

static void test_newlines(void **state) {
    (void)state;
    char s[] = "a\r\nb\rc\n\r\nd";
    size_t n = rt_text_newlines(s, strlen(s));
    assert_int_equal(n, 8);
    assert_string_equal(s, "a\nb\nc\n\nd");
}

static void test_money(void **state) {
    (void)state;
    rt_buf b = {0};
    rt_money(&b, RT_LANG_FR, 55);
    assert_string_equal(b.data, "55,00\xc2\xa0€");
    rt_buf_free(&b);
    rt_money(&b, RT_LANG_EN, 1234.5);
    assert_string_equal(b.data, "€1234.50");
    rt_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html),     cmocka_unit_test(test_json),  cmocka_unit_test(test_yaml),
        cmocka_unit_test(test_newlines), cmocka_unit_test(test_money),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
