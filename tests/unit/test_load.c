/* Unit tests: load (layouts, articles, messages, the edition). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "load/load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char errbuf[8192];
static rt_diag diag;
static FILE *errf;

static void diag_start(void) {
    memset(errbuf, 0, sizeof errbuf);
    errf = fmemopen(errbuf, sizeof errbuf, "w");
    rt_diag_init(&diag, errf);
}

static void diag_end(void) {
    fclose(errf);
}

static char tmpdir[64];

static int setup(void **state) {
    (void)state;
    strcpy(tmpdir, "/tmp/rt-load-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char *cmd = rt_xasprintf("rm -rf '%s'", tmpdir);
    int r = system(cmd);
    free(cmd);
    return r == 0 ? 0 : -1;
}

static char *write_tmp(const char *name, const char *text) {
    char *p = rt_path_join(tmpdir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    return p;
}

static void test_layout_tabloid(void **state) {
    (void)state;
    diag_start();
    rt_layout *l = rt_layout_load("layouts/tabloid.yaml", &diag);
    diag_end();
    assert_non_null(l);
    assert_int_equal(diag.errors, 0);
    assert_true(fabs(l->width - 289 * RT_MM) < 1e-9);
    assert_true(fabs(l->height - 380 * RT_MM) < 1e-9);
    assert_int_equal(l->columns, 5);
    assert_true(fabs(l->baseline - 11) < 1e-9);
    assert_string_equal(l->styles[RT_ST_BODY].font, "Liberation Serif");
    assert_true(l->styles[RT_ST_HEADLINE].bold);
    assert_int_equal(l->styles[RT_ST_BODY].align, RT_ALIGN_JUSTIFY);
    assert_true(l->styles[RT_ST_BODY].hyphenate);
    assert_int_equal(l->n_rates, 5);
    assert_string_equal(l->rates[0].name, "1/16");
    assert_string_equal(l->words[RT_LANG_FR].continued_on, "Suite en page %d");
    assert_string_equal(l->words[RT_LANG_NL].continued_on, "Lees verder op pagina %d");
    /* colours: CMYK percentages -> 0..1 */
    int red = l->accent_color;
    assert_true(fabs(l->colors[red].cmyk.m - 0.95) < 1e-9);
    rt_layout_free(l);
    diag_start();
    l = rt_layout_load("layouts/a4.yaml", &diag);
    diag_end();
    assert_int_equal(diag.errors, 0);
    assert_int_equal(l->columns, 3);
    rt_layout_free(l);
}

static void test_article_front_matter(void **state) {
    (void)state;
    char *p = write_tmp("a.md", "---\ntitle: \"Titre\"\nkicker: K\nlanguage: nl\nrelated:\n"
                                "  - title: R\n    url: https://example.org\n---\n"
                                "Premier paragraphe.\n");
    diag_start();
    rt_article *a = rt_article_load(p, RT_LANG_FR, &diag);
    diag_end();
    assert_int_equal(diag.errors, 0);
    assert_string_equal(a->title, "Titre");
    assert_string_equal(a->kicker, "K");
    assert_int_equal(a->lang, RT_LANG_NL);
    assert_int_equal(a->n_related, 1);
    assert_string_equal(a->related[0].url, "https://example.org");
    assert_int_equal(a->body_line, 9);
    assert_string_equal(a->body, "Premier paragraphe.\n");
    rt_article_free(a);
    free(p);
}

static void test_article_errors_all_reported(void **state) {
    (void)state;
    char *p = write_tmp("b.md", "---\ntitel: x\nbyline: [1]\nimages:\n  - file: none.png\n---\n");
    diag_start();
    rt_article *a = rt_article_load(p, RT_LANG_FR, &diag);
    diag_end();
    assert_int_equal(diag.errors, 4);
    assert_non_null(strstr(errbuf, "b.md:2:1: error: unknown key 'titel'"));
    assert_non_null(strstr(errbuf, "b.md:3:9: error: byline must be a value"));
    assert_non_null(strstr(errbuf, "b.md:5:11: error: file not found: 'none.png'"));
    assert_non_null(strstr(errbuf, "b.md:2:1: error: missing required key 'title'"));
    rt_article_free(a);
    free(p);
}

static void test_message(void **state) {
    (void)state;
    diag_start();
    rt_layout *l = rt_layout_load("layouts/tabloid.yaml", &diag);
    char *p = write_tmp("m.yaml", "from: \"Section\"\ntext: |\n  Merci.\nformat: \"1/8\"\n"
                                  "contact: c@example.org\npayment:\n  amount: 55\n"
                                  "  reference: R1\n  status: offered\n");
    rt_message m;
    assert_true(rt_message_load(p, tmpdir, l, &m, &diag));
    diag_end();
    assert_int_equal(diag.errors, 0);
    assert_string_equal(m.from, "Section");
    assert_string_equal(m.text, "Merci.\n");
    assert_int_equal(m.rate, 1);
    assert_int_equal(m.status, RT_PAY_OFFERED);
    assert_int_equal(m.text_mark.line, 3); /* a block scalar starts on the next line */
    rt_message_clear(&m);
    free(p);
    /* too large a file */
    char *big = rt_xcalloc(70000, 1);
    memset(big, 'a', 69999);
    p = write_tmp("big.yaml", big);
    diag_start();
    assert_false(rt_message_load(p, tmpdir, l, &m, &diag));
    diag_end();
    assert_non_null(strstr(errbuf, "file too large"));
    free(big);
    free(p);
    rt_layout_free(l);
}

static void test_lengths_and_dates(void **state) {
    (void)state;
    /* through an edition: bad date and a valid leap day */
    char *p = write_tmp("e.yaml", "paper: P\nnumber: 1\ndate: 2028-02-29\nprice: 1\nlanguage: fr\n"
                                  "layout: tabloid\narticles: [a.md]\n");
    diag_start();
    rt_edition *e = rt_edition_load(p, "layouts", &diag);
    diag_end();
    assert_int_equal(diag.errors, 0);
    assert_int_equal(e->day, 29);
    assert_int_equal(e->n_entries, 1);
    assert_int_equal(e->lead, 0);
    rt_edition_free(e);
    free(p);
    p = write_tmp("e2.yaml", "paper: P\nnumber: 1\ndate: 2027-02-29\nprice: 1\nlanguage: fr\n"
                             "layout: tabloid\narticles: [a.md]\n");
    diag_start();
    e = rt_edition_load(p, "layouts", &diag);
    diag_end();
    assert_int_equal(diag.errors, 1);
    assert_non_null(strstr(errbuf, "e2.yaml:3:7: error: date must be a real date"));
    rt_edition_free(e);
    free(p);
}

static void test_image_check(void **state) {
    (void)state;
    int w = 0, h = 0;
    rt_image_limits lim = {20000, 1e8, 200 << 20, "an image"};
    char *why = rt_image_check("issues/2026-05/images/manif.png", &lim, &w, &h);
    assert_null(why);
    assert_int_equal(w, 1800);
    assert_int_equal(h, 1200);
    /* the pixel limits come from the header, before decoding */
    rt_image_limits small = {1000, 1e6, 0, "a logo"};
    why = rt_image_check("issues/2026-05/images/manif.png", &small, &w, &h);
    assert_non_null(why);
    assert_non_null(strstr(why, "is 1800 x 1200 pixels: too large for a logo"));
    free(why);
    /* a JPEG header alone (SOI, APP0, SOF0 640 x 480): no tables, no scan */
    static const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00,
                                        0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01,
                                        0xE0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00};
    char *p = rt_path_join(tmpdir, "x.jpg");
    FILE *f = fopen(p, "wb");
    fwrite(jpg, 1, sizeof jpg, f);
    fclose(f);
    why = rt_image_check(p, &lim, &w, &h);
    assert_non_null(why);
    assert_non_null(strstr(why, "is truncated or damaged (JPEG: "));
    free(why);
    free(p);
    /* the same bytes named .png: the build would read it as PNG */
    p = rt_path_join(tmpdir, "x.png");
    f = fopen(p, "wb");
    fwrite(jpg, 1, sizeof jpg, f);
    fclose(f);
    why = rt_image_check(p, &lim, &w, &h);
    assert_non_null(why);
    assert_non_null(strstr(why, "is a JPEG image, but its name ends in .png"));
    free(why);
    /* a whole PNG cut after its first IDAT bytes */
    size_t len;
    char *png = rt_read_file("issues/2026-05/images/manif.png", 0, &len);
    f = fopen(p, "wb");
    fwrite(png, 1, len / 2, f);
    fclose(f);
    why = rt_image_check(p, &lim, &w, &h);
    assert_non_null(why);
    assert_non_null(strstr(why, "is truncated or damaged (PNG: "));
    free(why);
    /* one flipped byte inside the pixel data: the CRC */
    png[len / 2] ^= 0x55;
    f = fopen(p, "wb");
    fwrite(png, 1, len, f);
    fclose(f);
    why = rt_image_check(p, &lim, &w, &h);
    assert_non_null(why);
    assert_non_null(strstr(why, "is truncated or damaged (PNG: "));
    free(why);
    free(png);
    free(p);
    why = rt_image_check("layouts/tabloid.yaml", &lim, &w, &h);
    assert_non_null(why);
    assert_string_equal(why, "is not a PNG or JPEG image");
    free(why);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_tabloid),
        cmocka_unit_test(test_article_front_matter),
        cmocka_unit_test(test_article_errors_all_reported),
        cmocka_unit_test(test_message),
        cmocka_unit_test(test_lengths_and_dates),
        cmocka_unit_test(test_image_check),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
