/* render: the PDF file, written here without Cairo.
 *
 * Each page's operators are written as the painter draws (canvas.h): text
 * as Type 0 fonts with two-byte glyph indices (subset.c), each glyph placed
 * where it was shaped (a TJ adjustment where its advance does not bring it
 * there); the text a cluster shows either in the font's ToUnicode map or,
 * where a glyph shows something else (a ligature, a hyphen, a mark's
 * spaces, a drop cap's letter), in an ActualText span around it. Colours:
 * for the press, the layout's CMYK (grey on the black plate alone when
 * neutral, black overprinting through the ExtGStates /RtOP<n>, n: bit 0
 * fills, bit 1 strokes); otherwise their 8-bit sRGB stand-ins.
 * Images: a placeholder is a 2 x 2 image holding its index (render.h); a
 * CMYK JPEG goes in as it is; otherwise (plain output: the flatplan, intake
 * proofs) a JPEG's own bytes, or a PNG's pixels flattened on white.
 *
 * Longer than 600 lines: the page operators (numbers, the graphics state
 * with its colours and overprint, text objects and their ActualText spans),
 * the images and the file's objects share one canvas's state.
 *
 * Output is a function of the input alone: objects are numbered in the
 * order they are made, fonts and images in the order the pages first use
 * them. */
#include "canvas.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------- a page's operators */

typedef struct {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = rt_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
}

static void puts_(buf *b, const char *s) {
    put(b, s, strlen(s));
}

/* v with at most `dec` decimals (trailing zeros dropped) and a space. */
static void num(buf *b, double v, int dec) {
    static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    char t[48];
    char *p = t + sizeof t;
    *--p = ' ';
    if (!isfinite(v) || fabs(v) > 1e12)
        v = 0;
    long long n = llround(v * scale[dec]);
    bool neg = n < 0;
    unsigned long long u = neg ? (unsigned long long)-n : (unsigned long long)n;
    unsigned long long ip = u / (unsigned long long)scale[dec];
    unsigned long long fp = u % (unsigned long long)scale[dec];
    int d = dec;
    while (d > 0 && fp % 10 == 0) {
        fp /= 10;
        d--;
    }
    if (d > 0) {
        for (int i = 0; i < d; i++) {
            *--p = (char)('0' + fp % 10);
            fp /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (neg && (u != 0))
        *--p = '-';
    put(b, p, (size_t)(t + sizeof t - p));
}

typedef struct {
    rt_matrix ctm;
    unsigned char fill[3], stroke[3]; /* what the state's operators say */
    rt_cmyk fill_cmyk, stroke_cmyk;
    bool fill_set, stroke_set;
    unsigned op;    /* overprint: bit 0 fills, bit 1 strokes (the ExtGState /RtOP<op>) */
    unsigned alpha; /* 255 - the opacity painted with (the ExtGState /RtA<opacity>) */
} gstate;

typedef struct {
    const char *path;
    bool marker;
    int obj;
    rt_canvas_image im;
} pdf_image;

/* The state of one text object: where the pen is in text space (in
 * thousandths of the font size, from the last Tm), and whether a TJ array
 * or hex string is open. */
/* A page's operators, compressed (z) or, when compressing fails, as they
 * are (raw). */
typedef struct {
    char *raw;
    size_t len;
    uint64_t key[2]; /* with a memo: its key */
    unsigned char *z;
    size_t zlen;
    bool from_memo;
    int obj;
} page_stream;

typedef struct pdf_canvas pdf_canvas;
typedef struct {
    pdf_canvas *p;
    int font;              /* the Tf's (-1: none yet) */
    double xx, yy, ox, oy; /* the glyphs' space onto the user space */
    double size;
    double tm_x, tm_y; /* the last Tm's origin (the glyphs' space) */
    double pen;        /* thousandths of the em past tm_x */
    double tc;         /* the character spacing (Tc), in thousandths of the em */
    double last_adj;   /* the last glyph's adjustment, when it had one */
    bool adjusted;
    bool have_tm, in_array, in_hex; /* in_hex: a string of codes is open */
} text_state;

struct pdf_canvas {
    rt_canvas base;
    rt_pdf_writer *w;
    rt_diag *d;
    double width, height;
    /* the pages' operators, compressed on a thread of their own while the
     * next pages are drawn, written after the last page in page order */
    page_stream *streams;
    size_t n_streams, max_streams;
    int level; /* zlib's: 2 for the press (speed), 6 otherwise */
    pthread_t worker;
    bool have_worker, closing;
    pthread_mutex_t lock;
    pthread_cond_t more;
    size_t next; /* the next stream the worker takes */
    const rt_render_opts *o;
    rt_pdf_fonts *fonts;
    int *font_obj; /* per font id, reserved when first used */
    size_t n_font_obj;
    pdf_image *imgs;
    size_t n_imgs, cap_imgs;
    buf page;
    gstate gs, *stack;
    size_t n_stack, cap_stack;
    unsigned char color[3]; /* the colour to paint with next */
    rt_cmyk cmyk;           /* and its inks (have_cmyk) */
    bool have_cmyk;
    bool press;       /* colours in CMYK (rt_render_opts.press) */
    unsigned page_gs; /* bit n: the page uses /RtOP<n> */
    unsigned alpha;   /* 255 - the opacity of the colour to paint with (previews' overlays) */
    unsigned char page_alpha[256]; /* the page uses /RtA<opacity> */
    unsigned char *page_fonts, *page_imgs;
    size_t cap_page_fonts, cap_page_imgs;
    int *pages;
    size_t n_pages, cap_pages;
    int pages_obj;
    bool ok;
    bool in_text;    /* a text object (BT) is open: glyph calls in a row share it */
    text_state text; /* its state */
};

static void end_text(pdf_canvas *p);

static void p_save(rt_canvas *c) {
    pdf_canvas *p = (pdf_canvas *)c;
    end_text(p);
    RT_PUSH(p->stack, p->n_stack, p->cap_stack, p->gs);
    puts_(&p->page, "q\n");
}

static void p_restore(rt_canvas *c) {
    pdf_canvas *p = (pdf_canvas *)c;
    end_text(p);
    if (!p->n_stack)
        return;
    p->gs = p->stack[--p->n_stack];
    puts_(&p->page, "Q\n");
}

static void matrix_ops(buf *b, const rt_matrix *m) {
    num(b, m->xx, 6);
    num(b, m->yx, 6);
    num(b, m->xy, 6);
    num(b, m->yy, 6);
    num(b, m->x0, 4);
    num(b, m->y0, 4);
}

static void p_transform(rt_canvas *c, const rt_matrix *m) {
    pdf_canvas *p = (pdf_canvas *)c;
    end_text(p);
    matrix_ops(&p->page, m);
    puts_(&p->page, "cm\n");
    rt_matrix_multiply(&p->gs.ctm, m, &p->gs.ctm);
}

static void p_to_device(rt_canvas *c, double *x, double *y) {
    const rt_matrix *m = &((pdf_canvas *)c)->gs.ctm;
    double X = m->xx * *x + m->xy * *y + m->x0, Y = m->yx * *x + m->yy * *y + m->y0;
    *x = X;
    *y = Y;
}

static void p_from_device(rt_canvas *c, double *x, double *y) {
    const rt_matrix *m = &((pdf_canvas *)c)->gs.ctm;
    double det = m->xx * m->yy - m->xy * m->yx;
    if (fabs(det) < 1e-12)
        return;
    double dx = *x - m->x0, dy = *y - m->y0;
    *x = (m->yy * dx - m->xy * dy) / det;
    *y = (-m->yx * dx + m->xx * dy) / det;
}

static void p_color(rt_canvas *c, const unsigned char rgb[3], const rt_cmyk *cmyk) {
    pdf_canvas *p = (pdf_canvas *)c;
    memcpy(p->color, rgb, 3);
    p->have_cmyk = cmyk != NULL;
    if (cmyk)
        p->cmyk = *cmyk;
    p->alpha = 0;
}

static void p_rgba(rt_canvas *c, uint32_t rgba) {
    unsigned char rgb[3] = {(unsigned char)(rgba >> 24), (unsigned char)(rgba >> 16),
                            (unsigned char)(rgba >> 8)};
    p_color(c, rgb, NULL);
    /* translucent (the flatplan's tints over its thumbnails; never for the
     * press, which has no transparency) */
    ((pdf_canvas *)c)->alpha = 255 - (rgba & 255);
}

/* The colour operator of fills (`rg`) or strokes (`RG`), when it changes. */
static void use_color(pdf_canvas *p, bool stroke) {
    unsigned char *have = stroke ? p->gs.stroke : p->gs.fill;
    rt_cmyk *inks = stroke ? &p->gs.stroke_cmyk : &p->gs.fill_cmyk, none = {-1, -1, -1, -1};
    const rt_cmyk *want_inks = p->press && p->have_cmyk ? &p->cmyk : &none;
    bool *set = stroke ? &p->gs.stroke_set : &p->gs.fill_set;
    if (p->alpha != p->gs.alpha) {
        char gs[24];
        snprintf(gs, sizeof gs, "/RtA%u gs\n", 255 - p->alpha);
        puts_(&p->page, gs);
        p->gs.alpha = p->alpha;
        p->page_alpha[255 - p->alpha] = 1;
    }
    /* (two colours may share a stand-in: rich black and black) */
    if (*set && memcmp(have, p->color, 3) == 0 && memcmp(inks, want_inks, sizeof *inks) == 0)
        return;
    memcpy(have, p->color, 3);
    *inks = *want_inks;
    *set = true;
    buf *b = &p->page;
    if (!p->press || !p->have_cmyk) {
        for (int i = 0; i < 3; i++)
            num(b, p->color[i] / 255.0, 6);
        puts_(b, stroke ? "RG\n" : "rg\n");
        return;
    }
    /* black overprints (OPM 1: the other plates are left as they are);
     * a neutral colour goes on the black plate alone */
    const rt_cmyk *m = &p->cmyk;
    bool neutral = m->c == 0 && m->m == 0 && m->y == 0, black = neutral && m->k >= 0.9999;
    unsigned bit = stroke ? 2 : 1, want = (p->gs.op & ~bit) | (black ? bit : 0);
    if (want != p->gs.op) {
        char gs[24];
        snprintf(gs, sizeof gs, "/RtOP%u gs\n", want);
        puts_(b, gs);
        p->gs.op = want;
        p->page_gs |= 1u << want;
    }
    if (neutral) {
        num(b, 1 - m->k, 4);
        puts_(b, stroke ? "G\n" : "g\n");
    } else {
        num(b, m->c, 4);
        num(b, m->m, 4);
        num(b, m->y, 4);
        num(b, m->k, 4);
        puts_(b, stroke ? "K\n" : "k\n");
    }
}

static void rect_ops(buf *b, double x, double y, double w, double h) {
    num(b, x, 4);
    num(b, y, 4);
    num(b, w, 4);
    num(b, h, 4);
    puts_(b, "re ");
}

static void p_rect(rt_canvas *c, double x, double y, double w, double h, bool stroke,
                   double width) {
    pdf_canvas *p = (pdf_canvas *)c;
    end_text(p);
    use_color(p, stroke);
    if (stroke) {
        num(&p->page, width, 4);
        puts_(&p->page, "w ");
    }
    rect_ops(&p->page, x, y, w, h);
    puts_(&p->page, stroke ? "S\n" : "f\n");
}

static void p_lines(rt_canvas *c, const double *xy, size_t n, double width) {
    pdf_canvas *p = (pdf_canvas *)c;
    end_text(p);
    use_color(p, true);
    num(&p->page, width, 4);
    puts_(&p->page, "w\n");
    for (size_t i = 0; i < n; i++) {
        num(&p->page, xy[4 * i], 4);
        num(&p->page, xy[4 * i + 1], 4);
        puts_(&p->page, "m ");
        num(&p->page, xy[4 * i + 2], 4);
        num(&p->page, xy[4 * i + 3], 4);
        puts_(&p->page, "l\n");
    }
    puts_(&p->page, "S\n");
}

static void p_clip_rect(rt_canvas *c, double x, double y, double w, double h) {
    pdf_canvas *p = (pdf_canvas *)c;
    end_text(p);
    rect_ops(&p->page, x, y, w, h);
    puts_(&p->page, "W n\n");
}

/* ------------------------------------------------------------------ text */

static void mark_used(unsigned char **set, size_t *cap, size_t i) {
    if (i >= *cap) {
        size_t n = (i + 1) * 2;
        *set = rt_xrealloc(*set, n);
        memset(*set + *cap, 0, n - *cap);
        *cap = n;
    }
    (*set)[i] = 1;
}

static void close_hex(text_state *t) {
    if (t->in_hex)
        puts_(&t->p->page, ")");
    t->in_hex = false;
}

static void close_array(text_state *t) {
    close_hex(t);
    if (t->in_array)
        puts_(&t->p->page, "]TJ\n");
    t->in_array = false;
}

/* Ends the open text object, if any: every operator but a glyph call's
 * (and a colour's) ends it. */
static void end_text(pdf_canvas *p) {
    if (!p->in_text)
        return;
    close_array(&p->text);
    if (p->text.tc != 0) /* the character spacing is the graphics state's */
        puts_(&p->page, "0 Tc\n");
    puts_(&p->page, "ET\n");
    p->in_text = false;
}

static void show_glyph(text_state *t, const rt_glyph *g) {
    buf *b = &t->p->page;
    double want = 0;
    if (t->have_tm && fabs(g->y - t->tm_y) < 1e-6) {
        want = (g->x - t->tm_x) / t->size * 1000;
    } else {
        close_array(t);
        num(b, t->size * t->xx, 4);
        puts_(b, "0 0 ");
        num(b, -t->size * t->yy, 4);
        num(b, t->ox + t->xx * g->x, 4);
        num(b, t->oy + t->yy * g->y, 4);
        puts_(b, "Tm\n");
        t->tm_x = g->x;
        t->tm_y = g->y;
        t->pen = 0;
        t->have_tm = true;
    }
    if (!t->in_array) {
        puts_(b, "[");
        t->in_array = true;
    }
    /* a glyph within half a thousandth of the em (0.005 pt at 10 pt) of
     * where its advance leaves the pen goes there: the shaper's positions
     * are in 1/1024 pt, the widths in thousandths of the em, and the next
     * glyph is measured from where it should be, so the error never adds up */
    double adj = round((want - t->pen) * 100) / 100;
    if (fabs(adj) >= 0.5) {
        /* the same space again after the glyph before: letter-spacing,
         * which the character spacing (Tc) then adds after every glyph */
        bool again = t->adjusted && fabs(adj - t->last_adj) < 0.5;
        t->last_adj = adj;
        t->adjusted = true;
        if (again) {
            close_array(t);
            t->tc += adj;
            num(b, t->tc / 1000, 6);
            puts_(b, "Tc\n[");
            t->in_array = true;
        }
        close_hex(t);
        num(b, -adj, 2);
        t->pen += adj;
    } else {
        t->adjusted = false;
    }
    if (!t->in_hex) {
        puts_(b, "(");
        t->in_hex = true;
    }
    /* the two bytes of its code in a literal string (half the bytes of hex
     * digits); a parenthesis, a backslash or a carriage return escaped */
    unsigned gid = (unsigned)g->index & 0xFFFF;
    char h[4];
    size_t nh = 0;
    unsigned char by[2] = {(unsigned char)(gid >> 8), (unsigned char)gid};
    for (int k = 0; k < 2; k++) {
        unsigned char c = by[k];
        if (c == '(' || c == ')' || c == '\\') {
            h[nh++] = '\\';
            h[nh++] = (char)c;
        } else if (c == '\r') {
            h[nh++] = '\\';
            h[nh++] = 'r';
        } else {
            h[nh++] = (char)c;
        }
    }
    put(b, h, nh);
    t->pen += rt_pdf_font_width(t->p->fonts, t->font, gid) + t->tc;
}

/* `/Span << /ActualText <feff…> >> BDC`: the text in UTF-16BE. */
static void begin_actual_text(text_state *t, const char *s, int n) {
    close_array(t);
    buf *b = &t->p->page;
    puts_(b, "/Span << /ActualText <feff");
    char *hex = rt_xmalloc(4 * (size_t)(n > 0 ? n : 0) + 1);
    put(b, hex, rt_utf16_hex(s, (size_t)(n > 0 ? n : 0), hex));
    free(hex);
    puts_(b, "> >> BDC\n");
}

static void end_actual_text(text_state *t) {
    close_array(t);
    puts_(&t->p->page, "EMC\n");
}

static void p_glyphs(rt_canvas *c, const rt_font *font, const rt_matrix *m, const char *text,
                     int nt, const rt_glyph *g, int ng, const rt_cluster *cl, int nc) {
    pdf_canvas *p = (pdf_canvas *)c;
    if (ng <= 0)
        return;
    int id = rt_pdf_font_id(p->fonts, font);
    mark_used(&p->page_fonts, &p->cap_page_fonts, (size_t)id);
    buf *b = &p->page;
    text_state *tp = &p->text;
    if (!p->in_text) {
        puts_(b, "BT\n");
        p->in_text = true;
        *tp = (text_state){.p = p, .font = -1};
    }
    close_array(tp);
    use_color(p, false);
    if (tp->font != id) {
        char tf[32];
        snprintf(tf, sizeof tf, "/F%d 1 Tf\n", id + 1);
        puts_(b, tf);
        tp->font = id;
    }
    tp->size = rt_font_size(font) > 0 ? rt_font_size(font) : 1;
    tp->xx = m ? m->xx : 1;
    tp->yy = m ? m->yy : 1;
    tp->ox = m ? m->x0 : 0;
    tp->oy = m ? m->y0 : 0;
    tp->have_tm = false;
    tp->adjusted = false;
    if (nc == 0) {
        for (int i = 0; i < ng; i++) {
            rt_pdf_font_use(p->fonts, id, (unsigned)g[i].index, NULL, 0);
            show_glyph(tp, &g[i]);
        }
    } else {
        int gi = 0, ti = 0;
        for (int k = 0; k < nc && gi < ng; k++) {
            int nb = cl[k].num_bytes, ngl = cl[k].num_glyphs;
            if (ti + nb > nt)
                nb = nt - ti;
            if (gi + ngl > ng)
                ngl = ng - gi;
            bool plain =
                ngl == 1 && nb > 0 &&
                rt_pdf_font_use(p->fonts, id, (unsigned)g[gi].index, text + ti, (size_t)nb);
            if (plain) {
                show_glyph(tp, &g[gi]);
            } else {
                begin_actual_text(tp, text + ti, nb);
                for (int i = 0; i < ngl; i++) {
                    rt_pdf_font_use(p->fonts, id, (unsigned)g[gi + i].index, NULL, 0);
                    show_glyph(tp, &g[gi + i]);
                }
                end_actual_text(tp);
            }
            gi += ngl;
            ti += nb;
        }
    }
    close_array(tp);
}

/* ---------------------------------------------------------------- images */

static pdf_image *find_image(pdf_canvas *p, const char *path, bool marker) {
    for (size_t i = 0; i < p->n_imgs; i++)
        if (p->imgs[i].marker == marker && strcmp(p->imgs[i].path, path) == 0)
            return &p->imgs[i];
    return NULL;
}

/* A PNG's pixels, flattened on white (render/png.c), as a Flate image. */
static bool write_png(pdf_canvas *p, pdf_image *im) {
    int w, h;
    rt_png_rows *r = rt_render_png_open(im->path, &w, &h);
    if (!r)
        return false;
    size_t row = (size_t)w * 3;
    unsigned char *px = malloc(row * (size_t)h);
    bool ok = px != NULL;
    for (int y = 0; ok && y < h; y++)
        ok = rt_render_png_rows(r, px + row * (size_t)y, 1);
    rt_render_png_close(r);
    if (ok) {
        char dict[160];
        snprintf(dict, sizeof dict,
                 "/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                 "/BitsPerComponent 8",
                 w, h);
        rt_pdf_stream(p->w, im->obj, dict, px, row * (size_t)h, true);
        im->im = (rt_canvas_image){w, h, true};
    }
    free(px);
    return ok;
}

/* A JPEG's own bytes (DCTDecode), in the colour space its header says. */
static bool write_jpeg(pdf_canvas *p, pdf_image *im) {
    rt_jpeg_info info;
    if (!rt_jpeg_info_read(im->path, &info))
        return false;
    size_t len;
    char *data = rt_read_file(im->path, 0, &len);
    if (!data)
        return false;
    const char *cs = info.components == 1   ? "/DeviceGray"
                     : info.components == 4 ? "/DeviceCMYK"
                                            : "/DeviceRGB";
    char dict[200];
    snprintf(dict, sizeof dict,
             "/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
             "/BitsPerComponent 8 /Filter /DCTDecode%s",
             info.width, info.height, cs,
             info.components == 4 && info.adobe ? " /Decode [1 0 1 0 1 0 1 0]" : "");
    rt_pdf_stream(p->w, im->obj, dict, data, len, false);
    free(data);
    im->im = (rt_canvas_image){info.width, info.height, true};
    return true;
}

static rt_canvas_image p_image(rt_canvas *c, const char *path, bool marker) {
    pdf_canvas *p = (pdf_canvas *)c;
    pdf_image *im = find_image(p, path, marker);
    if (im)
        return im->im;
    pdf_image n = {path, marker, rt_pdf_new_obj(p->w), {0, 0, false}};
    RT_PUSH(p->imgs, p->n_imgs, p->cap_imgs, n);
    im = &p->imgs[p->n_imgs - 1];
    if (marker) {
        unsigned char px[12];
        size_t index = 0;
        rt_image_table *t = p->o ? p->o->placeholders : NULL;
        for (; t && index < t->n; index++)
            if (strcmp(t->paths[index], path) == 0)
                break;
        rt_placeholder_pixels((unsigned)index, px);
        rt_pdf_stream(p->w, im->obj,
                      "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB "
                      "/BitsPerComponent 8",
                      px, sizeof px, false);
        im->im = (rt_canvas_image){RT_PLACEHOLDER_SIZE, RT_PLACEHOLDER_SIZE, true};
    } else if (!(rt_render_named_png(path) ? write_png(p, im) : write_jpeg(p, im))) {
        rt_error(p->d, path, 0, 0, "cannot decode image");
        /* an empty image object keeps the numbering whole */
        rt_pdf_begin_obj(p->w, im->obj);
        rt_pdf_printf(p->w, "null\nendobj\n");
    }
    return im->im;
}

static void p_paint_image(rt_canvas *c, const char *path, bool marker, const rt_matrix *m) {
    pdf_canvas *p = (pdf_canvas *)c;
    pdf_image *im = find_image(p, path, marker);
    if (!im || !im->im.ok)
        return;
    end_text(p);
    mark_used(&p->page_imgs, &p->cap_page_imgs, (size_t)(im - p->imgs));
    /* the image's unit square (its first row at the top) onto its pixels */
    rt_matrix unit = {im->im.w, 0, 0, -im->im.h, 0, im->im.h}, full;
    rt_matrix_multiply(&full, &unit, m);
    char name[32];
    snprintf(name, sizeof name, "/I%zu Do\nQ\n", (size_t)(im - p->imgs) + 1);
    puts_(&p->page, "q\n");
    matrix_ops(&p->page, &full);
    puts_(&p->page, "cm\n");
    puts_(&p->page, name);
}

static const rt_canvas_ops pdf_ops = {p_save,   p_restore, p_transform,  p_to_device, p_from_device,
                                      p_color,  p_rgba,    p_rect,       p_lines,     p_clip_rect,
                                      p_glyphs, p_image,   p_paint_image};

/* ------------------------------------------------------------- the file */

static void compress_stream(pdf_canvas *p, page_stream *s) {
    if (s->z)
        return;
    s->z = rt_pdf_deflate(s->raw ? s->raw : "", s->len, p->level, &s->zlen);
    if (s->z) {
        free(s->raw);
        s->raw = NULL;
    }
}

static void *compress_worker(void *arg) {
    pdf_canvas *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->next >= p->n_streams && !p->closing)
            pthread_cond_wait(&p->more, &p->lock);
        if (p->next >= p->n_streams) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        page_stream *s = &p->streams[p->next++];
        pthread_mutex_unlock(&p->lock);
        compress_stream(p, s);
    }
}

/* The worker done: every stream compressed. */
static void join_worker(pdf_canvas *p) {
    if (p->have_worker) {
        pthread_mutex_lock(&p->lock);
        p->closing = true;
        pthread_cond_signal(&p->more);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->worker, NULL);
        p->have_worker = false;
    }
    for (size_t i = 0; i < p->n_streams; i++)
        compress_stream(p, &p->streams[i]);
}

rt_canvas *rt_canvas_pdf_new(FILE *out, double width, double height, size_t max_pages,
                             const rt_render_opts *o, rt_diag *d) {
    pdf_canvas *p = rt_xcalloc(1, sizeof *p);
    p->base.ops = &pdf_ops;
    p->w = rt_pdf_writer_new(out);
    p->d = d;
    p->width = width;
    p->height = height;
    p->o = o;
    p->press = o && o->press;
    p->level = p->press ? 2 : 6;
    p->max_streams = max_pages;
    p->streams = rt_xcalloc(max_pages ? max_pages : 1, sizeof *p->streams);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->more, NULL);
    p->have_worker = !(o && o->one_thread) && max_pages > 1 &&
                     pthread_create(&p->worker, NULL, compress_worker, p) == 0;
    p->fonts = rt_pdf_fonts_new();
    p->ok = true;
    /* %PDF-1.5 and a comment of four bytes over 127: a binary file */
    rt_pdf_printf(p->w, "%%PDF-1.5\n%%\xb5\xed\xae\xfb\n");
    p->pages_obj = rt_pdf_new_obj(p->w);
    return &p->base;
}

void rt_canvas_pdf_begin_page(rt_canvas *c) {
    pdf_canvas *p = (pdf_canvas *)c;
    p->page.n = 0;
    p->n_stack = 0;
    memset(&p->gs, 0, sizeof p->gs);
    /* PDF's y axis up, the painter's down */
    rt_matrix flip = {1, 0, 0, -1, 0, p->height};
    p->gs.ctm = (rt_matrix){1, 0, 0, 1, 0, 0};
    p_save(c);
    p_transform(c, &flip);
    if (p->cap_page_fonts)
        memset(p->page_fonts, 0, p->cap_page_fonts);
    if (p->cap_page_imgs)
        memset(p->page_imgs, 0, p->cap_page_imgs);
    p->page_gs = 0;
    memset(p->page_alpha, 0, sizeof p->page_alpha);
}

/* An object number for each font made since the last call (its Type 0
 * font, written at the end). */
static void reserve_font_objs(pdf_canvas *p) {
    size_t n = rt_pdf_fonts_count(p->fonts);
    if (n <= p->n_font_obj)
        return;
    p->font_obj = rt_xrealloc(p->font_obj, n * sizeof *p->font_obj);
    for (size_t k = p->n_font_obj; k < n; k++)
        p->font_obj[k] = rt_pdf_new_obj(p->w);
    p->n_font_obj = n;
}

bool rt_canvas_pdf_end_page(rt_canvas *c) {
    pdf_canvas *p = (pdf_canvas *)c;
    end_text(p);
    while (p->n_stack)
        p_restore(c);
    int page = rt_pdf_new_obj(p->w), content = rt_pdf_new_obj(p->w);
    RT_PUSH(p->pages, p->n_pages, p->cap_pages, page);
    if (p->n_streams >= p->max_streams) { /* (more pages than said: not made so) */
        rt_pdf_stream(p->w, content, "", p->page.s ? p->page.s : "", p->page.n, true);
    } else {
        /* handed to the worker (or compressed at the end); from the memo
         * when it holds these bytes */
        page_stream *s = &p->streams[p->n_streams];
        *s = (page_stream){.raw = p->page.s, .len = p->page.n, .obj = content};
        p->page = (buf){0};
        rt_render_memo *m = p->o ? p->o->memo : NULL;
        if (m) {
            rt_memo_hash(s->raw ? s->raw : "", s->len, s->key);
            s->key[0] ^= (uint64_t)p->level; /* (bytes compressed at another level differ) */
            s->z = rt_memo_take(m, RT_MEMO_PAGE, NULL, s->key, s->len, &s->zlen);
            s->from_memo = s->z != NULL;
        }
        pthread_mutex_lock(&p->lock);
        p->n_streams++;
        pthread_cond_signal(&p->more);
        pthread_mutex_unlock(&p->lock);
    }
    rt_pdf_begin_obj(p->w, page);
    rt_pdf_printf(p->w, "<< /Type /Page /Parent %d 0 R /MediaBox [ 0 0 ", p->pages_obj);
    buf b = {0};
    num(&b, p->width, 4);
    num(&b, p->height, 4);
    put(&b, "", 0);
    rt_pdf_write(p->w, b.s, b.n);
    free(b.s);
    rt_pdf_printf(p->w, "] /Contents %d 0 R /Resources <<", content);
    bool any = false;
    for (size_t i = 0; i < p->cap_page_fonts; i++)
        if (p->page_fonts[i]) {
            if (i >= p->n_font_obj)
                reserve_font_objs(p);
            rt_pdf_printf(p->w, "%s/F%zu %d 0 R", any ? " " : " /Font << ", i + 1, p->font_obj[i]);
            any = true;
        }
    if (any)
        rt_pdf_printf(p->w, " >>");
    any = false;
    for (size_t i = 0; i < p->cap_page_imgs; i++)
        if (p->page_imgs[i]) {
            rt_pdf_printf(p->w, "%s/I%zu %d 0 R", any ? " " : " /XObject << ", i + 1,
                          p->imgs[i].obj);
            any = true;
        }
    if (any)
        rt_pdf_printf(p->w, " >>");
    bool translucent = false;
    for (unsigned n = 0; n < 256 && !translucent; n++)
        translucent = p->page_alpha[n];
    if (p->page_gs || translucent) {
        rt_pdf_printf(p->w, " /ExtGState <<");
        for (unsigned n = 0; n < 4; n++)
            if (p->page_gs & (1u << n))
                rt_pdf_printf(p->w, " /RtOP%u << /Type /ExtGState /op %s /OP %s /OPM 1 >>", n,
                              n & 1 ? "true" : "false", n & 2 ? "true" : "false");
        for (unsigned n = 0; n < 256; n++)
            if (p->page_alpha[n])
                rt_pdf_printf(p->w, " /RtA%u << /Type /ExtGState /ca %.4g /CA %.4g >>", n,
                              n / 255.0, n / 255.0);
        rt_pdf_printf(p->w, " >>");
    }
    rt_pdf_printf(p->w, " >> >>\nendobj\n");
    return !rt_pdf_failed(p->w);
}

/* A PDF text string: the bytes, escaped. */
static void text_string(rt_pdf_writer *w, const char *s) {
    rt_pdf_write(w, "(", 1);
    for (; s && *s; s++) {
        if (*s == '(' || *s == ')' || *s == '\\')
            rt_pdf_write(w, "\\", 1);
        rt_pdf_write(w, s, 1);
    }
    rt_pdf_write(w, ")", 1);
}

/* "2026-05-01T12:00:00Z" (or with an offset) -> D:20260501120000Z */
static void pdf_date(rt_pdf_writer *w, const char *key, const char *iso) {
    char d[32] = "D:";
    size_t n = 2;
    for (const char *s = iso; *s && n < 16; s++)
        if (*s >= '0' && *s <= '9')
            d[n++] = *s;
    d[n] = 0;
    rt_pdf_printf(w, " /%s (%sZ)", key, d);
}

bool rt_canvas_pdf_finish(rt_canvas *c) {
    pdf_canvas *p = (pdf_canvas *)c;
    reserve_font_objs(p);
    if (!rt_pdf_fonts_write(p->fonts, p->w, p->font_obj, p->o ? p->o->memo : NULL, p->d))
        p->ok = false;
    join_worker(p);
    rt_render_memo *m = p->o ? p->o->memo : NULL;
    for (size_t i = 0; i < p->n_streams; i++) {
        page_stream *s = &p->streams[i];
        if (s->z)
            rt_pdf_stream_deflated(p->w, s->obj, "", s->z, s->zlen);
        else
            rt_pdf_stream(p->w, s->obj, "", s->raw ? s->raw : "", s->len, false);
        if (m && s->z && !s->from_memo)
            rt_memo_keep(m, RT_MEMO_PAGE, NULL, s->key, s->len, s->z, s->zlen);
    }
    rt_pdf_begin_obj(p->w, p->pages_obj);
    rt_pdf_printf(p->w, "<< /Type /Pages /Kids [");
    for (size_t i = 0; i < p->n_pages; i++)
        rt_pdf_printf(p->w, " %d 0 R", p->pages[i]);
    rt_pdf_printf(p->w, " ] /Count %zu >>\nendobj\n", p->n_pages);
    int info = rt_pdf_new_obj(p->w), cat = rt_pdf_new_obj(p->w);
    rt_pdf_begin_obj(p->w, info);
    rt_pdf_printf(p->w,
                  "<< /Producer (rotative " RT_VERSION ") /Creator (rotative " RT_VERSION ")");
    if (p->o && p->o->title) {
        rt_pdf_printf(p->w, " /Title ");
        text_string(p->w, p->o->title);
    }
    if (p->o && p->o->create_date) {
        pdf_date(p->w, "CreationDate", p->o->create_date);
        pdf_date(p->w, "ModDate", p->o->create_date);
    }
    rt_pdf_printf(p->w, " >>\nendobj\n");
    rt_pdf_begin_obj(p->w, cat);
    rt_pdf_printf(p->w, "<< /Type /Catalog /Pages %d 0 R >>\nendobj\n", p->pages_obj);
    size_t xref = rt_pdf_pos(p->w);
    rt_pdf_printf(p->w, "xref\n0 %d\n0000000000 65535 f \n", rt_pdf_count(p->w) + 1);
    for (int i = 1; i <= rt_pdf_count(p->w); i++)
        rt_pdf_printf(p->w, "%010zu 00000 n \n", rt_pdf_offset(p->w, i));
    rt_pdf_printf(p->w,
                  "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                  rt_pdf_count(p->w) + 1, cat, info, xref);
    rt_pdf_flush(p->w);
    return p->ok && !rt_pdf_failed(p->w);
}

void rt_canvas_pdf_drop(rt_canvas *c) {
    pdf_canvas *p = (pdf_canvas *)c;
    if (!p)
        return;
    join_worker(p);
    for (size_t i = 0; i < p->n_streams; i++) {
        free(p->streams[i].raw);
        free(p->streams[i].z);
    }
    free(p->streams);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->more);
    rt_pdf_fonts_free(p->fonts);
    free(p->font_obj);
    free(p->imgs);
    free(p->page.s);
    free(p->stack);
    free(p->page_fonts);
    free(p->page_imgs);
    free(p->pages);
    rt_pdf_writer_free(p->w);
    free(p);
}
