/* render: Cairo PDF output.
 *
 * Longer than 600 lines: images (JPEG decoding, PNG and JPEG placeholders), text runs
 * batched one Cairo call per line, and the checks of every Cairo context and
 * surface (an error state drops what is drawn after it) live together
 * because they share the painter and its buffers. */
#include "render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <jpeglib.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <strings.h>

void rt_cmyk_to_rgb8(rt_cmyk c, unsigned char rgb[3]) {
    double r = (1 - c.c) * (1 - c.k), g = (1 - c.m) * (1 - c.k), b = (1 - c.y) * (1 - c.k);
    rgb[0] = (unsigned char)lround(r * 255);
    rgb[1] = (unsigned char)lround(g * 255);
    rgb[2] = (unsigned char)lround(b * 255);
}

static void set_color(cairo_t *cr, const rt_layout *l, int idx) {
    unsigned char rgb[3] = {0, 0, 0};
    if (idx >= 0 && (size_t)idx < l->n_colors)
        rt_cmyk_to_rgb8(l->colors[idx].cmyk, rgb);
    cairo_set_source_rgb(cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
}

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

static void free_blob(void *p) {
    free(p);
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
    /* CMYK (and YCCK) JPEGs: decoded as CMYK for the preview; Cairo embeds
     * the original bytes as DeviceCMYK and the finishing pass adds the /Decode
     * that Adobe's inverted CMYK needs */
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
    /* embed the original JPEG bytes, not a re-encoding */
    cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, len, free_blob, data);
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
    size_t len = strlen(path);
    if (len > 4 && strcasecmp(path + len - 4, ".png") == 0) {
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
    else
        cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, (const unsigned char *)path, len,
                                    NULL, NULL);
    image_slot slot = {path, s};
    RT_PUSH(*slots, *n, *cap, slot);
    return s;
}

/* EXIF orientation o (1 to 8): the stored picture's unit square onto the
 * one it shows in (x right, y down). */
static cairo_matrix_t oriented(int o) {
    static const double m[9][6] = {{1, 0, 0, 1, 0, 0},   {1, 0, 0, 1, 0, 0},   {-1, 0, 0, 1, 1, 0},
                                   {-1, 0, 0, -1, 1, 1}, {1, 0, 0, -1, 0, 1},  {0, 1, 1, 0, 0, 0},
                                   {0, 1, -1, 0, 1, 0},  {0, -1, -1, 0, 1, 1}, {0, -1, 1, 0, 0, 1}};
    const double *v = m[o >= 1 && o <= 8 ? o : 1];
    cairo_matrix_t r;
    cairo_matrix_init(&r, v[0], v[1], v[2], v[3], v[4], v[5]);
    return r;
}

/* Returns the file's pixels per inch as drawn (0: not drawn). `orient`: the
 * file's EXIF orientation (dr->img_w, img_h are the picture as it shows). */
static double draw_image(cairo_t *cr, cairo_surface_t *img, const rt_draw *dr, int orient) {
    int sw = cairo_image_surface_get_width(img), sh = cairo_image_surface_get_height(img);
    /* the geometry of the file's pixels as it shows (a placeholder is smaller) */
    bool turned = orient >= 5;
    int iw = dr->img_w > 0 ? dr->img_w : turned ? sh : sw;
    int ih = dr->img_h > 0 ? dr->img_h : turned ? sw : sh;
    if (iw <= 0 || ih <= 0 || sw <= 0 || sh <= 0)
        return 0;
    /* cover the box, centred, cropped; or (logos) fit whole inside it */
    double sx = dr->w / iw, sy = dr->h / ih;
    double s = dr->contain ? (sx < sy ? sx : sy) : (sx > sy ? sx : sy);
    cairo_save(cr);
    cairo_rectangle(cr, dr->x, dr->y, dr->w, dr->h);
    cairo_clip(cr);
    double ox = dr->x + (dr->w - iw * s) / 2, oy = dr->y + (dr->h - ih * s) / 2;
    if (dr->focus &&
        !dr->contain) { /* the crop keeps the focus as near the box's centre as it can */
        ox = dr->x + dr->w / 2 - dr->fx * iw * s;
        oy = dr->y + dr->h / 2 - dr->fy * ih * s;
        double minx = dr->x + dr->w - iw * s, miny = dr->y + dr->h - ih * s;
        ox = ox > dr->x ? dr->x : ox < minx ? minx : ox;
        oy = oy > dr->y ? dr->y : oy < miny ? miny : oy;
    }
    cairo_translate(cr, ox, oy);
    if (orient > 1) {
        cairo_scale(cr, s * iw, s * ih); /* the picture as it shows, on a unit square */
        cairo_matrix_t turn = oriented(orient);
        cairo_transform(cr, &turn);
        cairo_scale(cr, 1.0 / sw, 1.0 / sh); /* the stored pixels */
    } else {
        cairo_scale(cr, s * iw / sw, s * ih / sh);
    }
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    return s > 0 ? 72.0 / s : 0;
}

void rt_placeholder_pixels(unsigned index, unsigned char rgb[12]) {
    static const unsigned char magic[6] = {'R', 'T', 'I', 'M', 'G', '!'};
    rgb[0] = (unsigned char)(index >> 16);
    rgb[1] = (unsigned char)(index >> 8);
    rgb[2] = (unsigned char)index;
    memcpy(rgb + 3, magic, 6);
    rgb[9] = (unsigned char)~rgb[0];
    rgb[10] = (unsigned char)~rgb[1];
    rgb[11] = (unsigned char)~rgb[2];
}

static cairo_surface_t *flatten(cairo_surface_t *s);

const char *rt_render_decoder_version(void) {
    static char v[64];
    if (!v[0])
        snprintf(v, sizeof v, "libpng %lu rows/2", (unsigned long)png_access_version_number());
    return v;
}

/* ------------------------------------------------------------------ text */

/* Glyph clusters of a run are usable for text mapping when they start at 0
 * and only increase (left-to-right text). */
static bool clusters_ok(const rt_run *r) {
    if (r->len == 0 || r->n_glyphs == 0 || r->cluster[0] != 0)
        return false;
    for (size_t i = 1; i < r->n_glyphs; i++)
        if (r->cluster[i] < r->cluster[i - 1])
            return false;
    return r->cluster[r->n_glyphs - 1] < (int)r->len;
}

/* Runs drawn with one cairo_show_text_glyphs call (those whose text is read
 * over a box of its own, rt_draw.text_x0, among them; their text carried at
 * the same scale of its own, rt_draw.text_sy, or none): same font, colour,
 * baseline and scale (the words and spaces of one line). Letter-spacing
 * may differ: it is in each glyph's position (draw_runs), and a justified
 * line's words each have their own. Cairo's PDF backend has a cost per
 * call that grows with the page's operations, so a line costs one call
 * rather than one per word (Cairo joins the calls into the same operators,
 * so the PDF is the same bytes either way). */
static bool same_batch(const rt_draw *a, const rt_draw *b, bool boxes) {
    return b->kind == RT_DRAW_RUN && (!boxes || a->text_sy == b->text_sy) &&
           a->run->font == b->run->font && a->color == b->color && a->rgba == b->rgba &&
           a->y == b->y && (a->sx > 0 ? a->sx : 1) == (b->sx > 0 ? b->sx : 1) &&
           clusters_ok(b->run);
}

typedef struct {
    cairo_glyph_t *g;
    cairo_text_cluster_t *cl;
    char *text;
    size_t gcap, ccap, tcap;
} glyph_bufs;

/* The font's space glyph and its advance; false if it has none. */
static bool space_glyph(cairo_scaled_font_t *sf, unsigned long *index, double *advance) {
    cairo_glyph_t *sp = NULL;
    int nsp = 0;
    bool ok = cairo_scaled_font_text_to_glyphs(sf, 0, 0, " ", 1, &sp, &nsp, NULL, NULL, NULL) ==
                  CAIRO_STATUS_SUCCESS &&
              nsp == 1;
    if (ok) {
        cairo_text_extents_t te;
        cairo_scaled_font_glyph_extents(sf, sp, 1, &te);
        *index = sp[0].index;
        *advance = te.x_advance;
    }
    cairo_glyph_free(sp);
    return ok;
}

/* The text of a run read over a box of its own (rt_draw.text_x0/x1): two
 * space glyphs of its font (`space`, its advance `adv`), which draw nothing,
 * at the ends of the box, in a cluster of their own after the run's glyphs
 * (which carry no text), so that Cairo writes the text as ActualText over
 * the box. They go out in the same call as the run's glyphs: a call of
 * space glyphs alone has no ink, and Cairo may drop it. x0 and scale map
 * the box into the glyphs' space (font expansion scales them about the
 * first run's origin). */
static void text_box_glyphs(const rt_draw *d, unsigned long space, double adv, double x0,
                            double scale, double y, cairo_glyph_t out[2]) {
    out[0] = (cairo_glyph_t){space, (d->text_x0 - x0) / scale, y};
    out[1] = (cairo_glyph_t){space, (d->text_x1 - x0) / scale - adv, y};
}

/* A word's text ends at least `least` before the next word: its second
 * glyph g[at] moves left by what the space `gap` lacks (not past its
 * first). */
static void open_gap(cairo_glyph_t *g, long at, double gap, double least) {
    if (at < 1 || gap >= least)
        return;
    g[at].x = fmax(g[at - 1].x, g[at].x - (least - gap));
}

/* The text of runs d[0..n) (a batch) read at a vertical scale of their own
 * (rt_draw.text_sy), their glyphs drawn without text: over each word (the
 * bytes between spaces; a no-break space stays in its word), two space
 * glyphs, which draw nothing, at the word's ends, in a cluster whose text
 * is the word, and a space glyph for each space between words (a gap
 * between two runs is one: a table's figures are grouped by thin spaces,
 * which extractors take for no space at all at a larger size). One call,
 * scaled vertically about the baseline, moved off whole device units like a
 * mark (a call without ink whose glyph origins round to an empty box is
 * dropped). */
static void draw_carriers(cairo_t *cr, const rt_draw *d, size_t n) {
    unsigned long space;
    double adv;
    if (!space_glyph(rt_font_cairo(d->run->font), &space, &adv))
        return;
    size_t cap = 2, tcap = 1;
    for (size_t k = 0; k < n; k++) {
        cap += 2 * d[k].run->n_glyphs + 1;
        tcap += 2 * d[k].run->len + 2;
    }
    cairo_glyph_t *g = rt_xmalloc(cap * sizeof *g);
    cairo_text_cluster_t *cl = rt_xmalloc(cap * sizeof *cl);
    char *text = rt_xmalloc(tcap);
    size_t ng = 0, nc = 0, nt = 0;
    double end = 0;      /* the right edge of the run before */
    long last_word = -1; /* the second glyph of the last word */
    /* the least space between words that extractors see as one at the
     * larger size (a thin space in a figure, 0.15 em, is less) */
    double gap_min = 0.25 * rt_font_size(d->run->font) * d->text_sy;
    for (size_t k = 0; k < n; k++) {
        const rt_run *r = d[k].run;
        double sx = d[k].sx > 0 ? d[k].sx : 1;
        /* a run read over a box of its own: its words scaled into it */
        double rx0 = d[k].x, rx1 = d[k].x + sx * r->width + r->gaps * d[k].tracking;
        double tx0 = rx0, f = 1;
        if (d[k].text_x1 > 0 && rx1 > rx0) {
            tx0 = d[k].text_x0;
            f = (d[k].text_x1 - d[k].text_x0) / (rx1 - rx0);
        }
#define AT(X) (tx0 + ((X)-rx0) * f)
        if (k > 0 && AT(d[k].x) > end + 0.01) { /* the space between two runs */
            open_gap(g, last_word, AT(d[k].x) - end, gap_min);
            g[ng++] = (cairo_glyph_t){space, end, 0};
            cl[nc++] = (cairo_text_cluster_t){1, 1};
            text[nt++] = ' ';
        }
        int ch = 0;
        for (size_t i = 0; i < r->n_glyphs;) {
            /* a cluster of spaces, or a word: the clusters up to the next space */
            size_t e = i;
            int b0 = r->cluster[i], b1 = b0, che = ch;
            bool blank = true;
            while (e < r->n_glyphs) {
                size_t f = e;
                while (f < r->n_glyphs && r->cluster[f] == r->cluster[e])
                    f++;
                int c0 = r->cluster[e], c1 = f < r->n_glyphs ? r->cluster[f] : (int)r->len;
                bool sp_only = true;
                for (int q = c0; q < c1; q++)
                    sp_only = sp_only && r->utf8[q] == ' ';
                if (e > i && sp_only != blank)
                    break;
                blank = sp_only;
                b1 = c1;
                e = f;
                che++;
                if (blank)
                    break; /* one cluster of spaces at a time */
            }
            double left = AT(d[k].x + sx * r->pen[i] + ch * d[k].tracking);
            double right = AT(d[k].x + sx * r->pen[e] + (che - 1) * d[k].tracking);
            if (blank) {
                open_gap(g, last_word, right - left, gap_min);
                g[ng++] = (cairo_glyph_t){space, left, 0};
                cl[nc++] = (cairo_text_cluster_t){1, 1};
                text[nt++] = ' ';
            } else {
                memcpy(text + nt, r->utf8 + b0, (size_t)(b1 - b0));
                nt += (size_t)(b1 - b0);
                g[ng++] = (cairo_glyph_t){space, left, 0};
                g[ng++] = (cairo_glyph_t){space, fmax(left, right - adv), 0};
                last_word = (long)ng - 1;
                cl[nc++] = (cairo_text_cluster_t){b1 - b0, 2};
            }
            ch = che;
            i = e;
        }
        end = AT(rx1);
#undef AT
    }
    double x = d->x, y = d->y;
    cairo_user_to_device(cr, &x, &y);
    if (fabs(y - round(y)) < 0.01)
        y += 0.05;
    cairo_device_to_user(cr, &x, &y);
    cairo_save(cr);
    cairo_translate(cr, 0, y);
    cairo_scale(cr, 1, d->text_sy);
    cairo_show_text_glyphs(cr, text, (int)nt, g, (int)ng, cl, (int)nc, 0);
    cairo_restore(cr);
    free(g);
    free(cl);
    free(text);
}

/* Draws runs d[0..n) (one run, or a batch for which same_batch holds). */
static void draw_runs(cairo_t *cr, const rt_draw *d, size_t n, glyph_bufs *b, bool boxes) {
    bool carried = boxes && d->text_sy > 0 && d->run->len > 0 && clusters_ok(d->run);
    /* the font's space, for the runs read over boxes of their own */
    unsigned long space = 0;
    double adv = 0;
    bool have_space = false, any_box = false;
    for (size_t k = 0; boxes && !carried && k < n && !any_box; k++)
        any_box = d[k].text_x1 > 0 && d[k].run->len > 0;
    if (any_box)
        have_space = space_glyph(rt_font_cairo(d->run->font), &space, &adv);
    size_t ng = 0, nt = 0;
    for (size_t k = 0; k < n; k++) {
        ng += d[k].run->n_glyphs + 2; /* (2: the glyphs of a text box) */
        nt += d[k].run->len;
    }
    if (ng > b->gcap) {
        b->gcap = ng * 2;
        b->g = rt_xrealloc(b->g, b->gcap * sizeof *b->g);
    }
    if (ng > b->ccap) {
        b->ccap = ng * 2;
        b->cl = rt_xrealloc(b->cl, b->ccap * sizeof *b->cl);
    }
    if (nt + 1 > b->tcap) {
        b->tcap = nt * 2 + 1;
        b->text = rt_xrealloc(b->text, b->tcap);
    }
    double sx = d->sx > 0 ? d->sx : 1;
    bool scaled = sx < 0.9999 || sx > 1.0001;
    double ox = scaled ? d->x : 0, oy = scaled ? d->y : 0;
    size_t gi = 0, nc = 0, ti = 0;
    bool ok = true;
    for (size_t k = 0; k < n; k++) {
        const rt_run *r = d[k].run;
        int ch = 0; /* characters (clusters) before this glyph: letter-spacing */
        for (size_t i = 0; i < r->n_glyphs; i++) {
            if (i > 0 && r->cluster[i] != r->cluster[i - 1])
                ch++;
            /* positions in the (possibly horizontally scaled) space of the first run */
            b->g[gi + i].index = r->glyphs[i];
            b->g[gi + i].x = (d[k].x - ox) / (scaled ? sx : 1) + r->x[i] + ch * d[k].tracking / sx;
            b->g[gi + i].y = d[k].y - oy + r->y[i];
        }
        bool boxed = have_space && d[k].text_x1 > 0 && r->len > 0;
        if (boxed) {
            /* its glyphs carry no text; two spaces over the box carry it */
            b->cl[nc++] = (cairo_text_cluster_t){0, (int)r->n_glyphs};
            text_box_glyphs(&d[k], space, adv, ox, scaled ? sx : 1, b->g[gi].y,
                            b->g + gi + r->n_glyphs);
            b->cl[nc++] = (cairo_text_cluster_t){(int)r->len, 2};
            memcpy(b->text + ti, r->utf8, r->len);
            ti += r->len;
            gi += 2;
        } else if (ok && clusters_ok(r)) {
            /* glyphs sharing a cluster value map to the bytes up to the next value */
            for (size_t i = 0; i < r->n_glyphs;) {
                size_t j = i;
                while (j < r->n_glyphs && r->cluster[j] == r->cluster[i])
                    j++;
                int end = j < r->n_glyphs ? r->cluster[j] : (int)r->len;
                b->cl[nc].num_bytes = end - r->cluster[i];
                b->cl[nc].num_glyphs = (int)(j - i);
                nc++;
                i = j;
            }
            memcpy(b->text + ti, r->utf8, r->len);
            ti += r->len;
        } else {
            ok = false;
        }
        gi += r->n_glyphs;
    }
    if (scaled) { /* font expansion: scale the glyphs horizontally about the first origin */
        cairo_save(cr);
        cairo_translate(cr, ox, oy);
        cairo_scale(cr, sx, 1);
    }
    cairo_set_scaled_font(cr, rt_font_cairo(d->run->font));
    if (carried || (n == 1 && d->run->len == 0)) { /* glyphs that stand for no text (a drop
                                                cap: its letter is read with the word
                                                it begins) */
        b->cl[0].num_bytes = 0;
        b->cl[0].num_glyphs = (int)gi;
        cairo_show_text_glyphs(cr, "", 0, b->g, (int)gi, b->cl, 1, 0);
    } else if (ok && nc > 0) {
        cairo_show_text_glyphs(cr, b->text, (int)ti, b->g, (int)gi, b->cl, (int)nc, 0);
    } else {
        cairo_show_glyphs(cr, b->g, (int)gi);
    }
    if (scaled)
        cairo_restore(cr);
    if (carried)
        draw_carriers(cr, d, n);
}

/* A reading-order mark: the run's two space glyphs, which draw nothing, at
 * the ends of the box and scaled so that their ascent plus descent (what
 * extractors take for a word's height) fills it; one cluster, so that Cairo
 * writes the two spaces as ActualText and leaves the space glyph's own
 * mapping alone. Cairo measures the ink of glyphs from their origins
 * rounded out to whole device units and drops a call whose ink is empty:
 * two glyphs without ink on a baseline at a whole unit would be lost, so
 * the baseline is moved off it by a twentieth of a point. */
static void draw_mark(cairo_t *cr, const rt_draw *dr) {
    const rt_run *r = dr->run;
    if (r->n_glyphs != 2 || r->width <= 0 || dr->w <= 0 || dr->h <= 0)
        return;
    cairo_set_scaled_font(cr, rt_font_cairo(r->font));
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double tall = fe.ascent + fe.descent;
    if (tall <= 0)
        return;
    double sx = dr->w / r->width, sy = dr->h / tall;
    double x = dr->x, y = dr->y + fe.ascent * sy;
    cairo_user_to_device(cr, &x, &y);
    if (fabs(y - round(y)) < 0.01)
        y += 0.05;
    cairo_device_to_user(cr, &x, &y);
    cairo_glyph_t g[2] = {{r->glyphs[0], 0, 0},
                          {r->glyphs[1], r->width - (r->pen[2] - r->pen[1]), 0}};
    cairo_text_cluster_t cl = {2, 2};
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, sx, sy);
    cairo_show_text_glyphs(cr, "  ", 2, g, 2, &cl, 1, 0);
    cairo_restore(cr);
}

/* Crop marks at the trim corners, outside the bleed, in the layout's black. */
static void draw_crop_marks(cairo_t *cr, const rt_layout *l, const rt_composition *c) {
    double gap = c->bleed + 1.0 * RT_MM, len = 6.0 * RT_MM;
    double W = c->width, H = c->height;
    set_color(cr, l, l->rule_color);
    cairo_set_line_width(cr, 0.25);
    double xs[2] = {0, W}, ys[2] = {0, H};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++) {
            double x = xs[i], y = ys[k];
            double dx = i ? 1 : -1, dy = k ? 1 : -1;
            cairo_move_to(cr, x + dx * gap, y);
            cairo_line_to(cr, x + dx * (gap + len), y);
            cairo_move_to(cr, x, y + dy * gap);
            cairo_line_to(cr, x, y + dy * (gap + len));
        }
    cairo_stroke(cr);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len) {
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_WRITE_ERROR;
}

/* What drawing many pages shares: decoded images and glyph buffers. */
typedef struct {
    const rt_layout *l;
    rt_diag *d;
    image_slot *slots;
    size_t n_slots, cap_slots;
    glyph_bufs bufs;
    rt_image_table *placeholders; /* PNG images as markers (PDF output only) */
    image_slot *marks;            /* their marker surfaces, kept for the whole file */
    size_t n_marks, cap_marks;
} painter;

static bool is_png(const char *path) {
    size_t len = strlen(path);
    return len > 4 && strcasecmp(path + len - 4, ".png") == 0;
}

static void free_marker(void *p) {
    free(p);
}

/* A JPEG's header: whether it is in RGB (or YCbCr) or grey, drawn as a
 * placeholder that the finishing pass converts (to CMYK, or to grey for the
 * press; a CMYK JPEG goes into the PDF as it is and is checked there), and
 * its EXIF orientation (1 for any other file). */
static void jpeg_peek(const char *path, bool *rgb, int *orient) {
    *rgb = false;
    *orient = 1;
    if (is_png(path))
        return;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    struct jpeg_decompress_struct ci;
    jpeg_err err;
    ci.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    if (setjmp(err.jmp) == 0) {
        jpeg_create_decompress(&ci);
        jpeg_stdio_src(&ci, f);
        jpeg_save_markers(&ci, JPEG_APP0 + 1, 0xFFFF);
        jpeg_read_header(&ci, TRUE);
        *rgb = ci.jpeg_color_space == JCS_YCbCr || ci.jpeg_color_space == JCS_RGB ||
               ci.jpeg_color_space == JCS_GRAYSCALE;
        for (jpeg_saved_marker_ptr m = ci.marker_list; m && *orient == 1; m = m->next)
            *orient = rt_exif_orientation(m->data, m->data_length);
    }
    jpeg_destroy_decompress(&ci);
    fclose(f);
}

/* The index of a placeholder's file in the table, added if new. */
static size_t marker_index(rt_image_table *t, const char *path) {
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->paths[i], path) == 0)
            return i;
    RT_PUSH(t->paths, t->n, t->cap, path);
    t->ppi = rt_xrealloc(t->ppi, t->cap * sizeof *t->ppi);
    t->ppi[t->n - 1] = 0;
    return t->n - 1;
}

/* The marker surface of an image drawn as a placeholder. */
static cairo_surface_t *get_marker(painter *pt, const char *path) {
    for (size_t i = 0; i < pt->n_marks; i++)
        if (strcmp(pt->marks[i].path, path) == 0)
            return pt->marks[i].surface;
    rt_image_table *t = pt->placeholders;
    size_t index = marker_index(t, path);
    unsigned char px[12];
    rt_placeholder_pixels((unsigned)index, px);
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, RT_PLACEHOLDER_SIZE, RT_PLACEHOLDER_SIZE);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        rt_error(pt->d, path, 0, 0, "internal error: Cairo cannot make an image: %s",
                 cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return NULL;
    }
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 2; x++) {
            const unsigned char *p = px + 3 * (y * 2 + x);
            ((uint32_t *)(data + y * stride))[x] =
                (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
        }
    cairo_surface_mark_dirty(s);
    /* one image in the PDF per file, however often it is drawn */
    char *uid = rt_xasprintf("rotative-placeholder-%zu", index);
    cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, (const unsigned char *)uid,
                                strlen(uid), free_marker, uid);
    image_slot slot = {path, s};
    RT_PUSH(pt->marks, pt->n_marks, pt->cap_marks, slot);
    return s;
}

static void painter_drop_images(painter *pt) {
    for (size_t i = 0; i < pt->n_slots; i++)
        if (pt->slots[i].surface)
            cairo_surface_destroy(pt->slots[i].surface);
    pt->n_slots = 0;
}

static void painter_done(painter *pt) {
    painter_drop_images(pt);
    for (size_t i = 0; i < pt->n_marks; i++)
        cairo_surface_destroy(pt->marks[i].surface);
    free(pt->marks);
    free(pt->slots);
    free(pt->bufs.g);
    free(pt->bufs.cl);
    free(pt->bufs.text);
}

static void set_draw_color(cairo_t *cr, const rt_layout *l, const rt_draw *dr) {
    if (dr->rgba)
        cairo_set_source_rgba(cr, (dr->rgba >> 24) / 255.0, ((dr->rgba >> 16) & 255) / 255.0,
                              ((dr->rgba >> 8) & 255) / 255.0, (dr->rgba & 255) / 255.0);
    else
        set_color(cr, l, dr->color);
}

/* Draws a page's items in the current user space (trim at the origin). */
static void paint_page(painter *pt, cairo_t *cr, const rt_page *pg, int depth) {
    for (size_t i = 0; i < pg->n_draws; i++) {
        const rt_draw *dr = &pg->draws[i];
        switch (dr->kind) {
        case RT_DRAW_RUN: {
            size_t j = i + 1;
            if (clusters_ok(dr->run))
                while (j < pg->n_draws && same_batch(dr, &pg->draws[j], depth == 0))
                    j++;
            set_draw_color(cr, pt->l, dr);
            draw_runs(cr, dr, j - i, &pt->bufs, depth == 0);
            i = j - 1;
            break;
        }
        case RT_DRAW_RECT:
            set_draw_color(cr, pt->l, dr);
            cairo_rectangle(cr, dr->x, dr->y, dr->w, dr->h);
            if (dr->stroke) {
                cairo_set_line_width(cr, dr->line_width);
                cairo_stroke(cr);
            } else {
                cairo_fill(cr);
            }
            break;
        case RT_DRAW_LINE:
            set_draw_color(cr, pt->l, dr);
            cairo_set_line_width(cr, dr->line_width);
            cairo_move_to(cr, dr->x, dr->y);
            cairo_line_to(cr, dr->w, dr->h);
            cairo_stroke(cr);
            break;
        case RT_DRAW_IMAGE: {
            bool rgb_jpeg;
            int orient;
            jpeg_peek(dr->image, &rgb_jpeg, &orient);
            bool marker = pt->placeholders && dr->img_w > 0 && dr->img_h > 0 &&
                          (is_png(dr->image) || rgb_jpeg);
            cairo_surface_t *img =
                marker ? get_marker(pt, dr->image)
                       : get_image(&pt->slots, &pt->n_slots, &pt->cap_slots, dr->image, pt->d);
            double ppi = img ? draw_image(cr, img, dr, orient) : 0;
            if (marker && img && ppi > 0) { /* the finishing pass decodes it at the size needed */
                rt_image_table *t = pt->placeholders;
                size_t k = marker_index(t, dr->image);
                if (t->ppi[k] == 0 || ppi < t->ppi[k])
                    t->ppi[k] = ppi;
            }
            break;
        }
        case RT_DRAW_MARK:
            if (depth == 0) { /* not in thumbnails (the flatplan) */
                set_draw_color(cr, pt->l, dr);
                draw_mark(cr, dr);
            }
            break;
        case RT_DRAW_PAGE:
            if (depth > 0 || !dr->page)
                break; /* pages are drawn one level deep */
            cairo_save(cr);
            cairo_rectangle(cr, dr->x, dr->y, dr->w, dr->h);
            cairo_clip(cr);
            cairo_translate(cr, dr->x, dr->y);
            cairo_scale(cr, dr->sx, dr->sx);
            paint_page(pt, cr, dr->page, depth + 1);
            cairo_restore(cr);
            break;
        }
    }
}

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

/* Cairo writes a PDF in some 30 bytes at a time (half a million writes for
 * 16 pages): gathered here, they reach the file in large pieces. */
typedef struct {
    FILE *f;
    size_t n;
    bool failed;
    unsigned char buf[1 << 16];
} pdf_sink;

static bool sink_flush(pdf_sink *s) {
    if (s->n && !s->failed && fwrite(s->buf, 1, s->n, s->f) != s->n)
        s->failed = true;
    s->n = 0;
    return !s->failed;
}

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len) {
    pdf_sink *s = closure;
    if (s->n + len > sizeof s->buf && !sink_flush(s))
        return CAIRO_STATUS_WRITE_ERROR;
    if (len > sizeof s->buf)
        return fwrite(data, 1, len, s->f) == len ? CAIRO_STATUS_SUCCESS
                                                 : (s->failed = true, CAIRO_STATUS_WRITE_ERROR);
    memcpy(s->buf + s->n, data, len);
    s->n += len;
    return CAIRO_STATUS_SUCCESS;
}

bool rt_render_pdf(const rt_composition *c, const rt_layout *l, FILE *out, const rt_render_opts *o,
                   rt_diag *d) {
    double off = c->offset;
    pdf_sink *sink = rt_xcalloc(1, sizeof *sink);
    sink->f = out;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(
        sink_write, sink, c->width + 2 * off, c->height + 2 * off);
    if (cairo_failed(cairo_surface_status(surf), "PDF", 0, d)) {
        cairo_surface_destroy(surf);
        free(sink);
        return false;
    }
    if (o && o->title)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, o->title);
    if (o && o->create_date) {
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, o->create_date);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, o->create_date);
    }
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "rotative " RT_VERSION);
    cairo_t *cr = cairo_create(surf);
    painter pt = {.l = l, .d = d, .placeholders = o ? o->placeholders : NULL};
    bool ok = true;
    for (size_t p = 0; p < c->n_pages && ok; p++) {
        const rt_page *pg = &c->pages[p];
        if (o && o->first > 0 && (pg->number < o->first || pg->number > o->last))
            continue;
        /* the paper, white, over the whole sheet: Cairo's analysis of the
         * page then keeps one rectangle as the page's drawn region (every
         * later operation lies inside it) instead of a union of thousands */
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_save(cr);
        cairo_translate(cr, off, off);
        if (off > 0)
            draw_crop_marks(cr, l, c);
        paint_page(&pt, cr, pg, 0);
        cairo_restore(cr);
        cairo_show_page(cr);
        /* checked after each page: the page that broke is named */
        ok = !cairo_failed(cairo_status(cr), "PDF", pg->number, d) &&
             !cairo_failed(cairo_surface_status(surf), "PDF", pg->number, d);
        /* Cairo has written this page's images: free the decoded pixels (an
         * image used again later is decoded again, and its unique ID keeps
         * it embedded once) */
        painter_drop_images(&pt);
    }
    if (ok)
        ok = !cairo_failed(cairo_status(cr), "PDF", 0, d);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st == CAIRO_STATUS_SUCCESS && !sink_flush(sink))
        st = CAIRO_STATUS_WRITE_ERROR;
    free(sink);
    painter_done(&pt);
    if (ok && st != CAIRO_STATUS_SUCCESS) {
        rt_error(d, NULL, 0, 0, "PDF output failed: %s", cairo_status_to_string(st));
        ok = false;
    }
    return ok;
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
    painter pt = {.l = l, .d = d};
    paint_page(&pt, cr, &c->pages[page - 1], 0);
    bool ok = !cairo_failed(cairo_status(cr), "PNG image", page, d);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    ok = ok && !cairo_failed(cairo_surface_status(surf), "PNG image", page, d);
    cairo_status_t st =
        ok ? cairo_surface_write_to_png_stream(surf, write_out, out) : CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surf);
    painter_done(&pt);
    if (ok && st != CAIRO_STATUS_SUCCESS) {
        rt_error(d, NULL, 0, 0, "PNG output failed: %s", cairo_status_to_string(st));
        ok = false;
    }
    return ok;
}
