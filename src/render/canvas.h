/* render: the canvas a page is painted on, private to this stage.
 *
 * paint.c walks a page's draws once and paints them through these
 * operations; cairo.c implements them with Cairo (the PNG previews),
 * pdfout.c writes them as PDF operators itself (every PDF), with the fonts
 * subset by subset.c. The painting code is the same for both, so a preview
 * shows what the PDF prints.
 *
 * Ownership: a canvas belongs to whoever made it (rt_canvas_*_new) and is
 * freed by its `drop`; nothing a page passes in is kept past the call,
 * except the fonts and image paths, which outlive the canvas (the
 * composition's).
 */
#ifndef RT_RENDER_CANVAS_H
#define RT_RENDER_CANVAS_H

#include "render.h"

#include <stdint.h>

/* The same layout as cairo_glyph_t, cairo_text_cluster_t and
 * cairo_matrix_t (cairo.c checks it), so that the Cairo canvas passes them
 * on as they are. */
typedef struct {
    unsigned long index;
    double x, y;
} rt_glyph;

typedef struct {
    int num_bytes, num_glyphs;
} rt_cluster;

/* x' = xx * x + xy * y + x0; y' = yx * x + yy * y + y0 */
typedef struct {
    double xx, yx, xy, yy, x0, y0;
} rt_matrix;

void rt_matrix_multiply(rt_matrix *r, const rt_matrix *a, const rt_matrix *b); /* a, then b */
/* UTF-8 text (n bytes) as UTF-16BE hex digits into out (room for 4 * n
 * of them); returns how many. */
size_t rt_utf16_hex(const char *s, size_t n, char *out);

typedef struct rt_canvas rt_canvas;

/* An image as the canvas holds it: its stored pixels' size and whether it
 * is a placeholder (render.h). */
typedef struct {
    int w, h;
    bool ok;
} rt_canvas_image;

typedef struct {
    void (*save)(rt_canvas *c);
    void (*restore)(rt_canvas *c);
    void (*transform)(rt_canvas *c, const rt_matrix *m);
    void (*to_device)(rt_canvas *c, double *x, double *y);
    void (*from_device)(rt_canvas *c, double *x, double *y);
    /* the colour to paint with: the layout's CMYK (NULL: none, the stand-in
     * alone) and its sRGB stand-in */
    void (*color)(rt_canvas *c, const unsigned char rgb[3], const rt_cmyk *cmyk);
    void (*rgba)(rt_canvas *c, uint32_t rgba); /* previews only: PDF paints it opaque */
    void (*rect)(rt_canvas *c, double x, double y, double w, double h, bool stroke, double width);
    /* segments (x0 y0 x1 y1 each) stroked at once */
    void (*lines)(rt_canvas *c, const double *xy, size_t n, double width);
    void (*clip_rect)(rt_canvas *c, double x, double y, double w, double h);
    /* glyphs, in a space that m (a scale and a move; NULL: none) maps into
     * the user space, the text they show in clusters as
     * cairo_show_text_glyphs takes them (nc 0: glyphs without a text of
     * their own) */
    void (*glyphs)(rt_canvas *c, const rt_font *font, const rt_matrix *m, const char *text, int nt,
                   const rt_glyph *g, int ng, const rt_cluster *cl, int nc);
    /* the image of draw `dr` (a placeholder when `marker`), found or loaded */
    rt_canvas_image (*image)(rt_canvas *c, const char *path, bool marker);
    /* paints it over the stored pixels' space mapped by m into user space */
    void (*paint_image)(rt_canvas *c, const char *path, bool marker, const rt_matrix *m);
} rt_canvas_ops;

struct rt_canvas {
    const rt_canvas_ops *ops;
};

/* paint.c: a page's draws (trim at the user space's origin), and the crop
 * marks. `placeholders`: PNG and RGB JPEG images as markers, listed there
 * (PDF output only). */
typedef struct rt_painter rt_painter;
rt_painter *rt_painter_new(rt_canvas *cv, const rt_layout *l, rt_image_table *placeholders);
void rt_painter_page(rt_painter *p, const rt_page *pg);
void rt_painter_crop_marks(rt_painter *p, const rt_composition *c);
void rt_painter_free(rt_painter *p);

/* jpeg.c: a JPEG's header. `rgb`: in RGB, YCbCr or grey (drawn as a
 * placeholder the finishing pass converts; a CMYK JPEG goes into the PDF
 * as it is); `adobe`: its inks stored inverted (APP14 "Adobe"); `orient`:
 * its EXIF orientation (1 when it has none). False when it is not a JPEG
 * libjpeg reads. */
typedef struct {
    int width, height, components, orient;
    bool rgb, adobe;
} rt_jpeg_info;
bool rt_jpeg_info_read(const char *path, rt_jpeg_info *info);

/* png.c: whether a file is named as a PNG (".png", any case); any other
 * image is read as a JPEG. */
bool rt_render_named_png(const char *path);

/* pdfout.c: a canvas writing a PDF to `out`. */
rt_canvas *rt_canvas_pdf_new(FILE *out, double width, double height, size_t max_pages,
                             const rt_render_opts *o, rt_diag *d);
void rt_canvas_pdf_begin_page(rt_canvas *c);
bool rt_canvas_pdf_end_page(rt_canvas *c);
/* Writes the fonts, images and the file's end; false on an error (said). */
bool rt_canvas_pdf_finish(rt_canvas *c);
void rt_canvas_pdf_drop(rt_canvas *c);

/* subset.c: the fonts of a PDF: glyphs used, their text, written subset. */
typedef struct rt_pdf_fonts rt_pdf_fonts;
rt_pdf_fonts *rt_pdf_fonts_new(void);
/* The resource number of a font (its face), added if new. */
int rt_pdf_font_id(rt_pdf_fonts *f, const rt_font *font);
/* A glyph's advance in thousandths of the em, as the PDF's widths say it. */
double rt_pdf_font_width(rt_pdf_fonts *f, int id, unsigned glyph);
/* Marks a glyph used; `text` (len bytes, NULL: none) the text it shows.
 * True when the glyph's own mapping (ToUnicode) says that text, false when
 * the glyph needs an ActualText span to say it. */
bool rt_pdf_font_use(rt_pdf_fonts *f, int id, unsigned glyph, const char *text, size_t len);
/* Writes every font's objects through `obj` (the writer's): the Type 0
 * font of font i gets object number first_obj[i] (reserved by the
 * caller). False on an error (said to d). */
typedef struct rt_pdf_writer rt_pdf_writer;
size_t rt_pdf_fonts_count(const rt_pdf_fonts *f);
bool rt_pdf_fonts_write(rt_pdf_fonts *f, rt_pdf_writer *w, const int *font_obj,
                        rt_render_memo *memo, rt_diag *d);
void rt_pdf_fonts_free(rt_pdf_fonts *f);

/* memo.c: what a build made, for the next (render.h's rt_render_memo). */
enum { RT_MEMO_FONT, RT_MEMO_PAGE };
struct hb_face_t;
/* Two 64-bit hashes of n bytes (with n, the key of an entry). */
void rt_memo_hash(const void *data, size_t n, uint64_t key[2]);
/* A copy of the compressed bytes kept for (kind, face, key, len) (the
 * caller frees it), or NULL. `face`: a font's (NULL for a page). */
unsigned char *rt_memo_take(rt_render_memo *m, int kind, struct hb_face_t *face,
                            const uint64_t key[2], size_t len, size_t *zlen);
/* Keeps a copy of them (the face referenced). */
void rt_memo_keep(rt_render_memo *m, int kind, struct hb_face_t *face, const uint64_t key[2],
                  size_t len, const unsigned char *z, size_t zlen);

/* writer.c: the PDF object writer (pdfout.c's and subset.c's). */
rt_pdf_writer *rt_pdf_writer_new(FILE *out);
void rt_pdf_writer_free(rt_pdf_writer *w);
void rt_pdf_flush(rt_pdf_writer *w);
size_t rt_pdf_pos(const rt_pdf_writer *w);             /* bytes written so far */
int rt_pdf_count(const rt_pdf_writer *w);              /* objects made */
size_t rt_pdf_offset(const rt_pdf_writer *w, int obj); /* where an object begins */
bool rt_pdf_failed(const rt_pdf_writer *w);            /* a write failed */
int rt_pdf_new_obj(rt_pdf_writer *w);
void rt_pdf_begin_obj(rt_pdf_writer *w, int obj);
void rt_pdf_printf(rt_pdf_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rt_pdf_write(rt_pdf_writer *w, const void *data, size_t len);
/* A stream object: dict entries `dict` (without << >>), the data
 * compressed (zlib's level 6) when `compress`. */
void rt_pdf_stream(rt_pdf_writer *w, int obj, const char *dict, const void *data, size_t len,
                   bool compress);
/* The same, of data compressed already (rt_pdf_deflate). */
void rt_pdf_stream_deflated(rt_pdf_writer *w, int obj, const char *dict, const void *z,
                            size_t zlen);
/* data compressed at zlib's `level` (the caller frees it); NULL: failed. */
unsigned char *rt_pdf_deflate(const void *data, size_t len, int level, size_t *out_len);

#endif
