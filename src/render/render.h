/* render: pages of drawing instructions -> PDF (written here, fonts subset
 * by HarfBuzz) and PNG previews (Cairo).
 *
 * Only this stage includes cairo and hb-subset (and libjpeg, to decode JPEG
 * images; the JPEG data itself is embedded as is). Colours are the layout's
 * CMYK values: a PDF for the press carries them (rt_render_opts.press); the
 * previews, the flatplan and proofs draw them as sRGB stand-ins (see
 * rt_cmyk_to_rgb8).
 *
 * Ownership: nothing allocated here outlives a call.
 */
#ifndef RT_RENDER_H
#define RT_RENDER_H

#include "../compose/compose.h"

/* PNG images (and RGB JPEGs, which the finishing pass converts to CMYK)
 * drawn as placeholders: Cairo would compress a PNG's pixels only
 * for the finishing pass to decompress, convert and compress them again,
 * and a JPEG is decoded by that pass at the size its pages need. Instead
 * each is drawn as a 2 x 2 marker image holding its index in `paths`; the
 * finishing pass decodes the file itself (rt_render_png_reader, which
 * reads both) and puts the converted pixels in its place. The caller frees
 * `paths` and `ppi` (not the strings: they belong to the edition). */
typedef struct {
    const char **paths;
    double *ppi; /* per path: its lowest resolution on the pages (pixels per inch) */
    size_t n, cap;
} rt_image_table;

/* What one build's PDF made, kept for the next (`watch`): a font whose
 * glyphs are those of a build before is not subset and compressed again,
 * a page whose operators are the same bytes is not compressed again (the
 * same bytes out). Safe to share between threads; the caller frees it. */
typedef struct rt_render_memo rt_render_memo;
rt_render_memo *rt_render_memo_new(void);
/* A build begins: what the build before did not use goes; the counts
 * start again. */
void rt_render_memo_next_build(rt_render_memo *m);
/* This build's fonts and pages: taken from the memo, and made. */
void rt_render_memo_counts(rt_render_memo *m, int *fonts_taken, int *fonts_made, int *pages_taken,
                           int *pages_made);
void rt_render_memo_free(rt_render_memo *m);

typedef struct {
    const char *title;            /* PDF Info /Title */
    const char *create_date;      /* ISO 8601, for reproducible output */
    int first, last;              /* 1-based page range; 0, 0 = every page */
    rt_image_table *placeholders; /* non-NULL: PNG images as markers, listed here */
    /* for the finishing pass (PDF/X): the pages' operators compressed for
     * speed (zlib's level 2, not 6), colours in the layout's CMYK (grey on the black plate alone
     * when neutral) with black fills and strokes overprinting, as the press gets them; false:
     * colours as their sRGB stand-ins (the flatplan, proofs) */
    bool press;
    rt_render_memo *memo; /* NULL: none */
    bool one_thread;      /* the pages' operators compressed on this thread (--jobs 1) */
} rt_render_opts;

/* The marker image of placeholder `index`: 2 x 2 RGB pixels. */
#define RT_PLACEHOLDER_SIZE 2
void rt_placeholder_pixels(unsigned index, unsigned char rgb[12]);
/* A JPEG file (RGB, YCbCr or grey) read a band of rows at a time as 8-bit
 * RGB, decoded at `eighths` of its size (1 to 8), as jpeg.c says. NULL when
 * it cannot be decoded (or is CMYK). One reader per thread. */
typedef struct rt_jpeg_rows rt_jpeg_rows;
rt_jpeg_rows *rt_render_jpeg_open(const char *path, int eighths, int *w, int *h);
bool rt_render_jpeg_rows(rt_jpeg_rows *r, unsigned char *rgb, int n);
/* Its ICC profile (APP2 markers; NULL: none), the reader's. */
const unsigned char *rt_render_jpeg_profile(const rt_jpeg_rows *r, size_t *len);
/* Whether it stores grey levels (one component). */
bool rt_render_jpeg_grey(const rt_jpeg_rows *r);
void rt_render_jpeg_close(rt_jpeg_rows *r);
/* A PNG file read a band of rows at a time as 8-bit RGB, transparency
 * flattened on white as Cairo paints it (png.c): what the finishing pass
 * converts. NULL when the file cannot be decoded. One reader per thread. */
typedef struct rt_png_rows rt_png_rows;
rt_png_rows *rt_render_png_open(const char *path, int *w, int *h);
/* The next n rows into rgb (3 * w * n bytes); false on a damaged file. */
bool rt_render_png_rows(rt_png_rows *r, unsigned char *rgb, int n);
/* Its iCCP profile (NULL: none, or the file says sRGB), the reader's. */
const unsigned char *rt_render_png_profile(const rt_png_rows *r, size_t *len);
/* Whether it stores grey levels (colour type grey, with or without alpha). */
bool rt_render_png_grey(const rt_png_rows *r);
void rt_render_png_close(rt_png_rows *r);
/* The same as an rt_rgb_reader (base.h). */
extern const rt_rgb_reader rt_render_png_reader;
/* The library that reader runs, its version and the reader's own
 * ("libpng 10639 rows/2"): pixels decoded by another version may differ, so the
 * image cache keys on it. A static string (made on the first call: call it
 * before starting threads). */
const char *rt_render_decoder_version(void);

/* Writes the composition as PDF to `out` (an open file). Returns false on
 * an error (reported to d). */
bool rt_render_pdf(const rt_composition *c, const rt_layout *l, FILE *out, const rt_render_opts *o,
                   rt_diag *d);

/* Writes page `page` (1-based) as a PNG image at `dpi` to `out`: a preview
 * in the RGB stand-in colours, trim size, no marks. */
bool rt_render_png(const rt_composition *c, const rt_layout *l, int page, double dpi, FILE *out,
                   rt_diag *d);

/* The 8-bit sRGB stand-in of a CMYK colour. */
void rt_cmyk_to_rgb8(rt_cmyk c, unsigned char rgb[3]);

#endif
