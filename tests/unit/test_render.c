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
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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
    rt_render_opts o = {"t", "2026-05-01T00:00:00Z", 0, 0, NULL, false, NULL, false};
    assert_true(rt_render_pdf(&c, &l, f, &o, &d));
    fclose(f);
    assert_true(len > 200);
    assert_memory_equal(buf, "%PDF-", 5);
    assert_non_null(memmem(buf, len, "/MediaBox [ 0 0 200 300 ]", 25));
    free(buf);
}

/* Every Flate stream of a PDF in memory, inflated, one after another
 * (binary: *out_len bytes). */
static char *inflated_streams(const char *pdf, size_t len, size_t *out_len) {
    size_t cap = 1 << 20, n = 0;
    char *out = calloc(1, cap);
    const char *p = pdf, *end = pdf + len;
    while ((p = memmem(p, (size_t)(end - p), "stream\n", 7)) != NULL) {
        p += 7;
        z_stream z = {0};
        if (inflateInit(&z) != Z_OK)
            break;
        z.next_in = (unsigned char *)p;
        z.avail_in = (unsigned)(end - p);
        z.next_out = (unsigned char *)out + n;
        z.avail_out = (unsigned)(cap - n - 1);
        int r = inflate(&z, Z_FINISH);
        if (r == Z_STREAM_END || r == Z_OK || r == Z_BUF_ERROR)
            n = cap - 1 - z.avail_out;
        inflateEnd(&z);
    }
    out[n] = 0;
    *out_len = n;
    return out;
}

/* A page whose first run's text is a Unicode noncharacter (U+FFFE): Cairo
 * puts the context in an error state and silently drops everything drawn
 * after it. The preview must fail, naming the page, not write a blank
 * page; the PDF, written without Cairo, carries the text and everything
 * after it. */
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
    rt_render_opts o = {"t", "2026-05-01T00:00:00Z", 0, 0, NULL, true, NULL, false};
    assert_true(rt_render_pdf(&c, &l, f, &o, &d));
    assert_int_equal(d.errors, 0);
    fflush(f);
    /* the rectangle drawn after the bad run is on the page, and the run's
     * text as written */
    size_t n_ops;
    char *ops = inflated_streams(buf, len, &n_ops);
    assert_non_null(memmem(ops, n_ops, "10 80 50 20 re f", 16));
    assert_non_null(memmem(ops, n_ops, "/ActualText <fefffffe>", 22));
    free(ops);
    assert_false(rt_render_png(&c, &l, 2, 72, f, &d));
    assert_int_equal(d.errors, 1);
    fclose(f);
    free(buf);
    /* the messages name Cairo's reason and the page */
    rewind(msgs);
    char line[512], all[2048] = "";
    while (fgets(line, sizeof line, msgs))
        strncat(all, line, sizeof all - strlen(all) - 1);
    fclose(msgs);
    assert_non_null(
        strstr(all, "internal error: Cairo stopped drawing on page 2 of the PNG image"));
    assert_non_null(strstr(all, cairo_status_to_string(CAIRO_STATUS_INVALID_CLUSTERS)) ||
                    strstr(all, cairo_status_to_string(CAIRO_STATUS_INVALID_STRING)));
    /* the same page without the bad run renders */
    pages[1].n_draws = 1;
    f = open_memstream(&buf, &len);
    rt_diag_init(&d, stderr);
    assert_true(rt_render_png(&c, &l, 2, 72, f, &d));
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

/* A PNG of the given kind (libpng's writer), w x h, every sample a function
 * of its place so that rows, channels and passes cannot be mixed up. */
static void write_png(const char *path, int w, int h, int type, int depth, bool interlace,
                      bool trns) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, type,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (type == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[16];
        png_byte alpha[16];
        for (int i = 0; i < 16; i++) {
            pal[i] = (png_color){(png_byte)(i * 16), (png_byte)(255 - i * 13), (png_byte)(i * 7)};
            alpha[i] = (png_byte)(i * 17);
        }
        png_set_PLTE(png, info, pal, 16);
        if (trns)
            png_set_tRNS(png, info, alpha, 16, NULL);
    } else if (trns) {
        png_color_16 t = {.gray = 3, .red = 40, .green = 80, .blue = 120};
        png_set_tRNS(png, info, NULL, 0, &t);
    }
    png_write_info(png, info);
    int ch = type == PNG_COLOR_TYPE_RGB_ALPHA ? 4
             : type == PNG_COLOR_TYPE_RGB     ? 3
             : type == PNG_COLOR_TYPE_GA      ? 2
                                              : 1;
    size_t rowbytes = ((size_t)w * (size_t)ch * (size_t)depth + 7) / 8;
    unsigned char *img = calloc((size_t)h, rowbytes);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < ch; c++) {
                unsigned v = (unsigned)(x * 37 + y * 11 + c * 71 + x * y);
                size_t bit = ((size_t)x * (size_t)ch + (size_t)c) * (size_t)depth;
                unsigned char *row = img + (size_t)y * rowbytes;
                if (type == PNG_COLOR_TYPE_PALETTE)
                    v %= 16; /* the palette's entries */
                if (depth == 16) {
                    row[bit / 8] = (unsigned char)(v >> 3);
                    row[bit / 8 + 1] = (unsigned char)v;
                } else if (depth == 8) {
                    row[bit / 8] = (unsigned char)(v % 251);
                } else {
                    unsigned s = v % (1u << depth), shift = 8 - depth - (unsigned)(bit % 8);
                    row[bit / 8] |= (unsigned char)(s << shift);
                }
            }
    png_bytep rows[64];
    for (int y = 0; y < h; y++)
        rows[y] = img + (size_t)y * rowbytes;
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(f);
    free(img);
}

/* The row reader gives the pixels Cairo's PNG reader gives, painted on
 * white, for every kind of PNG: so the finishing pass prints what the
 * proofs show. */
static void test_png_rows_match_cairo(void **state) {
    (void)state;
    static const struct {
        int type, depth;
        bool interlace, trns;
    } kinds[] = {
        {PNG_COLOR_TYPE_RGB, 8, false, false},        {PNG_COLOR_TYPE_RGB_ALPHA, 8, false, false},
        {PNG_COLOR_TYPE_RGB_ALPHA, 16, false, false}, {PNG_COLOR_TYPE_RGB, 16, false, true},
        {PNG_COLOR_TYPE_GRAY, 1, false, false},       {PNG_COLOR_TYPE_GRAY, 4, false, true},
        {PNG_COLOR_TYPE_GRAY, 8, false, true},        {PNG_COLOR_TYPE_GA, 8, false, false},
        {PNG_COLOR_TYPE_GA, 16, true, false},         {PNG_COLOR_TYPE_PALETTE, 4, false, true},
        {PNG_COLOR_TYPE_PALETTE, 8, true, false},     {PNG_COLOR_TYPE_RGB, 8, true, false},
        {PNG_COLOR_TYPE_RGB_ALPHA, 8, true, false},   {PNG_COLOR_TYPE_RGB, 8, false, true},
    };
    char path[] = "/tmp/rt-png-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const int w = 37, h = 23;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        write_png(path, w, h, kinds[k].type, kinds[k].depth, kinds[k].interlace, kinds[k].trns);
        cairo_surface_t *s = cairo_image_surface_create_from_png(path);
        assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
        cairo_surface_t *flat = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        cairo_t *cr = cairo_create(flat);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_set_source_surface(cr, s, 0, 0);
        cairo_paint(cr);
        cairo_destroy(cr);
        cairo_surface_flush(flat);
        int rw = 0, rh = 0;
        rt_png_rows *r = rt_render_png_open(path, &rw, &rh);
        assert_non_null(r);
        assert_int_equal(rw, w);
        assert_int_equal(rh, h);
        unsigned char rgb[37 * 3 * 5];
        const unsigned char *data = cairo_image_surface_get_data(flat);
        int stride = cairo_image_surface_get_stride(flat);
        for (int y = 0; y < h;) {
            int n = h - y < 5 ? h - y : 5; /* bands of rows, the last one shorter */
            assert_true(rt_render_png_rows(r, rgb, n));
            for (int i = 0; i < n; i++, y++)
                for (int x = 0; x < w; x++) {
                    uint32_t p = ((const uint32_t *)(data + (size_t)y * (size_t)stride))[x];
                    unsigned char want[3] = {(unsigned char)(p >> 16), (unsigned char)(p >> 8),
                                             (unsigned char)p};
                    if (memcmp(rgb + ((size_t)i * w + x) * 3, want, 3) != 0)
                        fail_msg("kind %zu: pixel (%d, %d) differs from Cairo's", k, x, y);
                }
        }
        assert_false(rt_render_png_rows(r, rgb, 1)); /* past the last row */
        rt_render_png_close(r);
        cairo_surface_destroy(flat);
        cairo_surface_destroy(s);
    }
    /* not a PNG, or cut short: no reader, or a failed read, never a crash */
    FILE *f = fopen(path, "wb");
    fputs("not a png", f);
    fclose(f);
    int rw, rh;
    assert_null(rt_render_png_open(path, &rw, &rh));
    write_png(path, w, h, PNG_COLOR_TYPE_RGB, 8, false, false);
    assert_int_equal(truncate(path, 80), 0);
    rt_png_rows *r = rt_render_png_open(path, &rw, &rh);
    if (r) {
        unsigned char rgb[37 * 3 * 23];
        assert_false(rt_render_png_rows(r, rgb, h));
        rt_render_png_close(r);
    }
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmyk_stand_ins),          cmocka_unit_test(test_render_empty_page),
        cmocka_unit_test(test_cairo_error_state_fails), cmocka_unit_test(test_atomic_output),
        cmocka_unit_test(test_png_rows_match_cairo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
