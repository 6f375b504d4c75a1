/* render: the two outputs (PDF, written by pdfout.c; PNG previews, drawn
 * by Cairo) and the Cairo canvas the previews are painted on (canvas.h):
 * its images decoded for Cairo, and the checks of every Cairo context and
 * surface (an error state drops what is drawn after it). */
#include "canvas.h"

#include <cairo.h>
#include <errno.h>
#include <jpeglib.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <strings.h>

/* ---------------------------------------------------------------- images */

typedef struct {
    const char *path;
    cairo_surface_t *surface;
} image_slot;

typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jmp;
} jpeg_err;

static void jpeg_fail(j_common_ptr cinfo) {
    longjmp(((jpeg_err *)cinfo->err)->jmp, 1);
}

static cairo_surface_t *load_jpeg(const char *path) {
    size_t len;
    unsigned char *data = (unsigned char *)rt_read_file(path, 0, &len);
    if (!data)
        return NULL;
    struct jpeg_decompress_struct ci;
    jpeg_err err;
    ci.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    cairo_surface_t *s = NULL;
    unsigned char *row = NULL;
    if (setjmp(err.jmp)) {
        jpeg_destroy_decompress(&ci);
        free(row);
        if (s)
            cairo_surface_destroy(s);
        free(data);
        return NULL;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    /* CMYK (and YCCK) JPEGs: decoded as CMYK for the preview (the PDF
     * carries the file's own bytes, pdfout.c) */
    bool cmyk = ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK;
    bool inverted = cmyk && ci.saw_Adobe_marker;
    ci.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&ci);
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ci.output_width, (int)ci.output_height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) /* too large, out of memory */
        longjmp(err.jmp, 1);
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    row = malloc(ci.output_width * (cmyk ? 4 : 3));
    while (ci.output_scanline < ci.output_height) {
        unsigned y = ci.output_scanline;
        JSAMPROW rp = row;
        jpeg_read_scanlines(&ci, &rp, 1);
        uint32_t *dst = (uint32_t *)(px + (size_t)y * (size_t)stride);
        for (unsigned x = 0; x < ci.output_width; x++) {
            unsigned r, g, b;
            if (cmyk) {
                unsigned char *q = row + 4 * x;
                double c = q[0] / 255.0, m = q[1] / 255.0, ye = q[2] / 255.0, k = q[3] / 255.0;
                if (inverted) { /* Adobe: 255 means no ink */
                    c = 1 - c;
                    m = 1 - m;
                    ye = 1 - ye;
                    k = 1 - k;
                }
                r = (unsigned)lround(255 * (1 - c) * (1 - k));
                g = (unsigned)lround(255 * (1 - m) * (1 - k));
                b = (unsigned)lround(255 * (1 - ye) * (1 - k));
            } else {
                r = row[3 * x];
                g = row[3 * x + 1];
                b = row[3 * x + 2];
            }
            dst[x] = 0xFF000000u | (r << 16) | (g << 8) | b;
        }
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    free(row);
    cairo_surface_mark_dirty(s);
    free(data);
    return s;
}

/* Transparency (a logo's) flattened on the paper, white: PDF/X-1a has no
 * soft masks, and the page is white there. Takes s, returns an RGB24
 * surface. */
static cairo_surface_t *flatten(cairo_surface_t *s) {
    if (cairo_image_surface_get_format(s) != CAIRO_FORMAT_ARGB32)
        return s;
    cairo_surface_t *flat = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, cairo_image_surface_get_width(s), cairo_image_surface_get_height(s));
    cairo_t *cr = cairo_create(flat);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_paint(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS || cairo_surface_status(flat) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(flat);
        return NULL; /* reported by the caller as an image it cannot decode */
    }
    return flat;
}

static cairo_surface_t *get_image(image_slot **slots, size_t *n, size_t *cap, const char *path,
                                  rt_diag *d) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*slots)[i].path, path) == 0)
            return (*slots)[i].surface;
    cairo_surface_t *s = NULL;
    if (rt_render_named_png(path)) {
        s = cairo_image_surface_create_from_png(path);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(s);
            s = NULL;
        } else {
            s = flatten(s);
        }
    } else {
        s = load_jpeg(path);
    }
    if (!s)
        rt_error(d, path, 0, 0, "cannot decode image");
    image_slot slot = {path, s};
    RT_PUSH(*slots, *n, *cap, slot);
    return s;
}

const char *rt_render_decoder_version(void) {
    static char v[64];
    if (!v[0])
        snprintf(v, sizeof v, "libpng %lu rows/2", (unsigned long)png_access_version_number());
    return v;
}

/* ------------------------------------------------------- the Cairo canvas */

_Static_assert(sizeof(rt_glyph) == sizeof(cairo_glyph_t), "rt_glyph is cairo_glyph_t");
_Static_assert(sizeof(rt_cluster) == sizeof(cairo_text_cluster_t),
               "rt_cluster is cairo_text_cluster_t");
_Static_assert(sizeof(rt_matrix) == sizeof(cairo_matrix_t), "rt_matrix is cairo_matrix_t");

/* The previews' canvas: Cairo draws it into an image. */
typedef struct {
    rt_canvas base;
    cairo_t *cr;
    rt_diag *d;
    image_slot *slots;
    size_t n_slots, cap_slots;
} cairo_canvas;

#define CR(c) (((cairo_canvas *)(c))->cr)

static void c_save(rt_canvas *c) {
    cairo_save(CR(c));
}
static void c_restore(rt_canvas *c) {
    cairo_restore(CR(c));
}
static void c_transform(rt_canvas *c, const rt_matrix *m) {
    cairo_transform(CR(c), (const cairo_matrix_t *)m);
}
static void c_to_device(rt_canvas *c, double *x, double *y) {
    cairo_user_to_device(CR(c), x, y);
}
static void c_from_device(rt_canvas *c, double *x, double *y) {
    cairo_device_to_user(CR(c), x, y);
}
static void c_color(rt_canvas *c, const unsigned char rgb[3], const rt_cmyk *cmyk) {
    (void)cmyk; /* a preview is in the stand-ins */
    cairo_set_source_rgb(CR(c), rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
}
static void c_rgba(rt_canvas *c, uint32_t v) {
    cairo_set_source_rgba(CR(c), (v >> 24) / 255.0, ((v >> 16) & 255) / 255.0,
                          ((v >> 8) & 255) / 255.0, (v & 255) / 255.0);
}
static void c_rect(rt_canvas *c, double x, double y, double w, double h, bool stroke,
                   double width) {
    cairo_rectangle(CR(c), x, y, w, h);
    if (stroke) {
        cairo_set_line_width(CR(c), width);
        cairo_stroke(CR(c));
    } else {
        cairo_fill(CR(c));
    }
}
static void c_lines(rt_canvas *c, const double *xy, size_t n, double width) {
    cairo_set_line_width(CR(c), width);
    for (size_t i = 0; i < n; i++) {
        cairo_move_to(CR(c), xy[4 * i], xy[4 * i + 1]);
        cairo_line_to(CR(c), xy[4 * i + 2], xy[4 * i + 3]);
    }
    cairo_stroke(CR(c));
}
static void c_clip_rect(rt_canvas *c, double x, double y, double w, double h) {
    cairo_rectangle(CR(c), x, y, w, h);
    cairo_clip(CR(c));
}
static void c_glyphs(rt_canvas *c, const rt_font *font, const rt_matrix *m, const char *text,
                     int nt, const rt_glyph *g, int ng, const rt_cluster *cl, int nc) {
    if (m) {
        cairo_save(CR(c));
        cairo_transform(CR(c), (const cairo_matrix_t *)m);
    }
    cairo_set_scaled_font(CR(c), rt_font_cairo(font));
    if (nc == 0)
        cairo_show_glyphs(CR(c), (const cairo_glyph_t *)g, ng);
    else
        cairo_show_text_glyphs(CR(c), text, nt, (const cairo_glyph_t *)g, ng,
                               (const cairo_text_cluster_t *)cl, nc, 0);
    if (m)
        cairo_restore(CR(c));
}
static rt_canvas_image c_image(rt_canvas *c, const char *path, bool marker) {
    cairo_canvas *k = (cairo_canvas *)c;
    cairo_surface_t *s =
        marker ? NULL : get_image(&k->slots, &k->n_slots, &k->cap_slots, path, k->d);
    if (!s)
        return (rt_canvas_image){0, 0, false};
    return (rt_canvas_image){cairo_image_surface_get_width(s), cairo_image_surface_get_height(s),
                             true};
}
static void c_paint_image(rt_canvas *c, const char *path, bool marker, const rt_matrix *m) {
    cairo_canvas *k = (cairo_canvas *)c;
    cairo_surface_t *s =
        marker ? NULL : get_image(&k->slots, &k->n_slots, &k->cap_slots, path, k->d);
    if (!s)
        return;
    cairo_save(k->cr);
    cairo_transform(k->cr, (const cairo_matrix_t *)m);
    cairo_set_source_surface(k->cr, s, 0, 0);
    cairo_paint(k->cr);
    cairo_restore(k->cr);
}
/* The page's images decoded for Cairo, dropped. */
static void drop_images(rt_canvas *c) {
    cairo_canvas *k = (cairo_canvas *)c;
    for (size_t i = 0; i < k->n_slots; i++)
        if (k->slots[i].surface)
            cairo_surface_destroy(k->slots[i].surface);
    k->n_slots = 0;
}
static const rt_canvas_ops cairo_ops = {
    c_save, c_restore, c_transform, c_to_device, c_from_device, c_color,      c_rgba,
    c_rect, c_lines,   c_clip_rect, c_glyphs,    c_image,       c_paint_image};

/* A Cairo context or surface in an error state draws nothing more, silently
 * (an invalid string, a failed allocation, a write error): every one is an
 * internal error of the build, never a shorter file. `page` 0: not drawing
 * a page. */
static bool cairo_failed(cairo_status_t st, const char *what, int page, rt_diag *d) {
    if (st == CAIRO_STATUS_SUCCESS)
        return false;
    if (page > 0)
        rt_error(d, NULL, 0, 0, "internal error: Cairo stopped drawing on page %d of the %s: %s",
                 page, what, cairo_status_to_string(st));
    else
        rt_error(d, NULL, 0, 0, "internal error: Cairo could not write the %s: %s", what,
                 cairo_status_to_string(st));
    return true;
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len) {
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_WRITE_ERROR;
}

/* ------------------------------------------------------------ the outputs */

bool rt_render_pdf(const rt_composition *c, const rt_layout *l, FILE *out, const rt_render_opts *o,
                   rt_diag *d) {
    double off = c->offset;
    int errors = d->errors;
    rt_canvas *cv =
        rt_canvas_pdf_new(out, c->width + 2 * off, c->height + 2 * off, c->n_pages, o, d);
    rt_painter *pt = rt_painter_new(cv, l, o ? o->placeholders : NULL);
    bool ok = true;
    for (size_t p = 0; p < c->n_pages && ok; p++) {
        const rt_page *pg = &c->pages[p];
        if (o && o->first > 0 && (pg->number < o->first || pg->number > o->last))
            continue;
        rt_canvas_pdf_begin_page(cv);
        cv->ops->save(cv);
        rt_matrix shift = {1, 0, 0, 1, off, off};
        cv->ops->transform(cv, &shift);
        if (off > 0)
            rt_painter_crop_marks(pt, c);
        rt_painter_page(pt, pg);
        cv->ops->restore(cv);
        ok = rt_canvas_pdf_end_page(cv);
    }
    ok = ok && rt_canvas_pdf_finish(cv);
    if (!ok && d->errors == errors)
        rt_error(d, NULL, 0, 0, "PDF output failed: %s", strerror(errno ? errno : EIO));
    rt_painter_free(pt);
    rt_canvas_pdf_drop(cv);
    return ok && d->errors == errors;
}

bool rt_render_png(const rt_composition *c, const rt_layout *l, int page, double dpi, FILE *out,
                   rt_diag *d) {
    if (page < 1 || (size_t)page > c->n_pages)
        return false;
    double scale = dpi / 72.0;
    int w = (int)ceil(c->width * scale), h = (int)ceil(c->height * scale);
    if (w < 1 || h < 1 || (double)w * h > 400e6) {
        rt_error(d, NULL, 0, 0, "preview of %dx%d pixels is too large; lower --dpi", w, h);
        return false;
    }
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_failed(cairo_surface_status(surf), "PNG image", 0, d)) {
        cairo_surface_destroy(surf);
        return false;
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_canvas cv = {{&cairo_ops}, cr, d, NULL, 0, 0};
    rt_painter *pt = rt_painter_new(&cv.base, l, NULL);
    rt_painter_page(pt, &c->pages[page - 1]);
    rt_painter_free(pt);
    drop_images(&cv.base);
    free(cv.slots);
    bool ok = !cairo_failed(cairo_status(cr), "PNG image", page, d);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    ok = ok && !cairo_failed(cairo_surface_status(surf), "PNG image", page, d);
    cairo_status_t st =
        ok ? cairo_surface_write_to_png_stream(surf, write_out, out) : CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surf);
    if (ok && st != CAIRO_STATUS_SUCCESS) {
        rt_error(d, NULL, 0, 0, "PNG output failed: %s", cairo_status_to_string(st));
        ok = false;
    }
    return ok;
}
