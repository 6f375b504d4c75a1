/* Unit tests: render (colour stand-ins) and finish (atomic output). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "compose/shape/shape.h"
#include "finish/finish.h"
#include "render/render.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_cmyk_stand_ins(void **state) {
    (void)state;
    unsigned char rgb[3];
    rt_cmyk_to_rgb8((rt_cmyk){0, 0, 0, 1}, rgb);
    assert_memory_equal(rgb, "\0\0\0", 3);
    rt_cmyk_to_rgb8((rt_cmyk){0, 0, 0, 0}, rgb);
    assert_memory_equal(rgb, "\xff\xff\xff", 3);
    rt_cmyk_to_rgb8((rt_cmyk){0, 0.95, 0.9, 0.05}, rgb);
    assert_int_equal(rgb[0], 242);
    assert_int_equal(rgb[1], 12);
    assert_int_equal(rgb[2], 24);
}

static void test_render_empty_page(void **state) {
    (void)state;
    rt_color colors[1] = {{"black", {0, 0, 0, 1}}};
    rt_layout l = {0};
    l.colors = colors;
    l.n_colors = 1;
    rt_page page = {0};
    page.number = 1;
    rt_draw rect = {.kind = RT_DRAW_RECT, .x = 10, .y = 10, .w = 50, .h = 20, .color = 0};
    page.draws = &rect;
    page.n_draws = 1;
    rt_composition c = {0};
    c.width = 200;
    c.height = 300;
    c.pages = &page;
    c.n_pages = 1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    rt_diag d;
    rt_diag_init(&d, stderr);
    rt_render_opts o = {"t", "2026-05-01T00:00:00Z", 0, 0, NULL};
    assert_true(rt_render_pdf(&c, &l, f, &o, &d));
    fclose(f);
    assert_true(len > 200);
    assert_memory_equal(buf, "%PDF-", 5);
    assert_non_null(memmem(buf, len, "/MediaBox [ 0 0 200 300 ]", 25));
    free(buf);
}

/* A page whose first run's text is a Unicode noncharacter (U+FFFE): Cairo
 * puts the context in an error state and silently drops everything drawn
 * after it. The render calls must fail, naming the page, not write a file
 * with a blank page. */
static void test_cairo_error_state_fails(void **state) {
    (void)state;
    rt_diag d;
    rt_diag_init(&d, stderr);
    rt_fonts *fonts = rt_fonts_new("fonts", &d);
    assert_non_null(fonts);
    rt_font *font = rt_font_get(fonts, "Liberation Serif", false, false, 9);
    assert_non_null(font);
    unsigned glyph = 36;
    double zero = 0, pen[2] = {0, 5};
    int cluster = 0;
    unsigned char unsafe[2] = {0, 0};
    rt_run bad = {font, 0, 1, &glyph, &zero, &zero, &cluster, "\xEF\xBF\xBE", 3, 5, 0, unsafe, pen};
    rt_run good = bad;
    good.utf8 = "A";
    good.len = 1;
    rt_color colors[1] = {{"black", {0, 0, 0, 1}}};
    rt_layout l = {0};
    l.colors = colors;
    l.n_colors = 1;
    rt_draw draws[3] = {
        {.kind = RT_DRAW_RUN, .x = 20, .y = 40, .run = &good},
        {.kind = RT_DRAW_RUN, .x = 20, .y = 60, .run = &bad},
        {.kind = RT_DRAW_RECT, .x = 10, .y = 80, .w = 50, .h = 20},
    };
    rt_page pages[2] = {{0}, {0}};
    pages[0].number = 1;
    pages[1].number = 2;
    pages[1].draws = draws;
    pages[1].n_draws = 3;
    rt_composition c = {0};
    c.width = 200;
    c.height = 300;
    c.pages = pages;
    c.n_pages = 2;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    FILE *msgs = tmpfile();
    rt_diag_init(&d, msgs);
    rt_render_opts o = {"t", "2026-05-01T00:00:00Z", 0, 0, NULL};
    assert_false(rt_render_pdf(&c, &l, f, &o, &d));
    assert_int_equal(d.errors, 1);
    assert_false(rt_render_png(&c, &l, 2, 72, f, &d));
    assert_int_equal(d.errors, 2);
    fclose(f);
    free(buf);
    /* the messages name Cairo's reason and the page */
    rewind(msgs);
    char line[512], all[2048] = "";
    while (fgets(line, sizeof line, msgs))
        strncat(all, line, sizeof all - strlen(all) - 1);
    fclose(msgs);
    assert_non_null(strstr(all, "internal error: Cairo stopped drawing on page 2 of the PDF"));
    assert_non_null(strstr(all, "page 2 of the PNG image"));
    assert_non_null(strstr(all, cairo_status_to_string(CAIRO_STATUS_INVALID_CLUSTERS)) ||
                    strstr(all, cairo_status_to_string(CAIRO_STATUS_INVALID_STRING)));
    /* the same page without the bad run renders */
    pages[1].n_draws = 1;
    f = open_memstream(&buf, &len);
    rt_diag_init(&d, stderr);
    assert_true(rt_render_pdf(&c, &l, f, &o, &d));
    assert_int_equal(d.errors, 0);
    fclose(f);
    free(buf);
    rt_fonts_free(fonts);
}

static void test_atomic_output(void **state) {
    (void)state;
    char dir[] = "/tmp/rt-out-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = rt_path_join(dir, "x.pdf");
    rt_diag d;
    rt_diag_init(&d, stderr);
    /* aborted: nothing left behind */
    rt_output *o = rt_output_begin(path, &d);
    fputs("partial", rt_output_file(o));
    rt_output_abort(o);
    char *cmd = rt_xasprintf("test -z \"$(ls -A '%s')\"", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    /* committed: the file appears whole, with ordinary permissions */
    o = rt_output_begin(path, &d);
    fputs("%PDF-1.5 complete", rt_output_file(o));
    assert_true(rt_output_commit(o, &d));
    size_t len;
    char *s = rt_read_file(path, 0, &len);
    assert_string_equal(s, "%PDF-1.5 complete");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mode & S_IRGRP);
    free(s);
    unlink(path);
    rmdir(dir);
    free(path);
    /* a folder that does not exist: an error, no crash */
    rt_diag_init(&d, fopen("/dev/null", "w"));
    assert_null(rt_output_begin("/nonexistent-dir/x.pdf", &d));
    assert_int_equal(d.errors, 1);
    fclose(d.out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmyk_stand_ins),
        cmocka_unit_test(test_render_empty_page),
        cmocka_unit_test(test_cairo_error_state_fails),
        cmocka_unit_test(test_atomic_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
