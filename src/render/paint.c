/* render: a page's draws painted on a canvas (canvas.h), the same for the
 * PDF and for the previews.
 *
 * Text runs go out one call per line (the words and spaces of a line share
 * a font, colour, baseline and scale); the text of each glyph cluster goes
 * with it, so that the PDF says what it shows. Runs whose text is read over
 * a box of their own, or at a scale of their own, and reading-order marks
 * carry their text on space glyphs, which draw nothing (see each function).
 */
#include "canvas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct rt_painter {
    rt_canvas *cv;
    const rt_layout *l;
    rt_image_table *placeholders;
    rt_glyph *g;
    rt_cluster *cl;
    char *text;
    size_t gcap, ccap, tcap;
};

rt_painter *rt_painter_new(rt_canvas *cv, const rt_layout *l, rt_image_table *placeholders) {
    rt_painter *p = rt_xcalloc(1, sizeof *p);
    p->cv = cv;
    p->l = l;
    p->placeholders = placeholders;
    return p;
}

void rt_painter_free(rt_painter *p) {
    if (!p)
        return;
    free(p->g);
    free(p->cl);
    free(p->text);
    free(p);
}

static void set_color(rt_canvas *cv, const rt_layout *l, int idx) {
    static const rt_cmyk black = {0, 0, 0, 1};
    const rt_cmyk *c = idx >= 0 && (size_t)idx < l->n_colors ? &l->colors[idx].cmyk : &black;
    unsigned char rgb[3];
    rt_cmyk_to_rgb8(*c, rgb);
    cv->ops->color(cv, rgb, c);
}

static void set_draw_color(rt_canvas *cv, const rt_layout *l, const rt_draw *dr) {
    if (dr->rgba)
        cv->ops->rgba(cv, dr->rgba);
    else
        set_color(cv, l, dr->color);
}

static void translate_scale(rt_canvas *cv, double x, double y, double sx, double sy) {
    rt_matrix m = {sx, 0, 0, sy, x, y};
    cv->ops->transform(cv, &m);
}

/* ---------------------------------------------------------------- images */

/* EXIF orientation o (1 to 8): the stored picture's unit square onto the
 * one it shows in (x right, y down). */
static rt_matrix oriented(int o) {
    static const double m[9][6] = {{1, 0, 0, 1, 0, 0},   {1, 0, 0, 1, 0, 0},   {-1, 0, 0, 1, 1, 0},
                                   {-1, 0, 0, -1, 1, 1}, {1, 0, 0, -1, 0, 1},  {0, 1, 1, 0, 0, 0},
                                   {0, 1, -1, 0, 1, 0},  {0, -1, -1, 0, 1, 1}, {0, -1, 1, 0, 0, 1}};
    const double *v = m[o >= 1 && o <= 8 ? o : 1];
    return (rt_matrix){v[0], v[1], v[2], v[3], v[4], v[5]};
}

/* Paints image `path` (sw x sh stored pixels) into dr's box: covering it,
 * centred or about its focus, cropped; or (logos) whole inside it. Returns
 * the file's pixels per inch as drawn (0: not drawn). `orient`: the
 * file's EXIF orientation (dr->img_w, img_h are the picture as it shows). */
static double draw_image(rt_canvas *cv, const char *path, bool marker, int sw, int sh,
                         const rt_draw *dr, int orient) {
    /* the geometry of the file's pixels as it shows (a placeholder is smaller) */
    bool turned = orient >= 5;
    int iw = dr->img_w > 0 ? dr->img_w : turned ? sh : sw;
    int ih = dr->img_h > 0 ? dr->img_h : turned ? sw : sh;
    if (iw <= 0 || ih <= 0 || sw <= 0 || sh <= 0)
        return 0;
    double sx = dr->w / iw, sy = dr->h / ih;
    double s = dr->contain ? (sx < sy ? sx : sy) : (sx > sy ? sx : sy);
    double ox = dr->x + (dr->w - iw * s) / 2, oy = dr->y + (dr->h - ih * s) / 2;
    if (dr->focus &&
        !dr->contain) { /* the crop keeps the focus as near the box's centre as it can */
        ox = dr->x + dr->w / 2 - dr->fx * iw * s;
        oy = dr->y + dr->h / 2 - dr->fy * ih * s;
        double minx = dr->x + dr->w - iw * s, miny = dr->y + dr->h - ih * s;
        ox = ox > dr->x ? dr->x : ox < minx ? minx : ox;
        oy = oy > dr->y ? dr->y : oy < miny ? miny : oy;
    }
    /* the stored pixels onto the box: scaled, turned, moved */
    rt_matrix m;
    if (orient > 1) {
        rt_matrix px = {1.0 / sw, 0, 0, 1.0 / sh, 0, 0}, turn = oriented(orient),
                  place = {s * iw, 0, 0, s * ih, ox, oy};
        rt_matrix_multiply(&m, &px, &turn);
        rt_matrix_multiply(&m, &m, &place);
    } else {
        m = (rt_matrix){s * iw / sw, 0, 0, s * ih / sh, ox, oy};
    }
    cv->ops->save(cv);
    cv->ops->clip_rect(cv, dr->x, dr->y, dr->w, dr->h);
    cv->ops->paint_image(cv, path, marker, &m);
    cv->ops->restore(cv);
    return s > 0 ? 72.0 / s : 0;
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

static void paint_image_draw(rt_painter *pt, const rt_draw *dr) {
    rt_jpeg_info info = {.orient = 1};
    bool jpeg = !rt_render_named_png(dr->image) && rt_jpeg_info_read(dr->image, &info);
    bool marker = pt->placeholders && dr->img_w > 0 && dr->img_h > 0 &&
                  (rt_render_named_png(dr->image) || (jpeg && info.rgb));
    if (marker)
        marker_index(pt->placeholders, dr->image);
    rt_canvas_image im = pt->cv->ops->image(pt->cv, dr->image, marker);
    if (!im.ok)
        return;
    double ppi = draw_image(pt->cv, dr->image, marker, im.w, im.h, dr, jpeg ? info.orient : 1);
    if (marker && ppi > 0) { /* the finishing pass decodes it at the size needed */
        rt_image_table *t = pt->placeholders;
        size_t k = marker_index(t, dr->image);
        if (t->ppi[k] == 0 || ppi < t->ppi[k])
            t->ppi[k] = ppi;
    }
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

/* Runs drawn with one call (those whose text is read over a box of its
 * own, rt_draw.text_x0, among them; their text carried at the same scale
 * of its own, rt_draw.text_sy, or none): same font, colour, baseline and
 * scale (the words and spaces of one line). Letter-spacing may differ: it
 * is in each glyph's position (draw_runs), and a justified line's words
 * each have their own. */
static bool same_batch(const rt_draw *a, const rt_draw *b, bool boxes) {
    return b->kind == RT_DRAW_RUN && (!boxes || a->text_sy == b->text_sy) &&
           a->run->font == b->run->font && a->color == b->color && a->rgba == b->rgba &&
           a->y == b->y && (a->sx > 0 ? a->sx : 1) == (b->sx > 0 ? b->sx : 1) &&
           clusters_ok(b->run);
}

static void reserve(rt_painter *b, size_t ng, size_t nc, size_t nt) {
    if (ng > b->gcap) {
        b->gcap = ng * 2;
        b->g = rt_xrealloc(b->g, b->gcap * sizeof *b->g);
    }
    if (nc > b->ccap) {
        b->ccap = nc * 2;
        b->cl = rt_xrealloc(b->cl, b->ccap * sizeof *b->cl);
    }
    if (nt + 1 > b->tcap) {
        b->tcap = nt * 2 + 1;
        b->text = rt_xrealloc(b->text, b->tcap);
    }
}

/* The text of a run read over a box of its own (rt_draw.text_x0/x1): two
 * space glyphs of its font (`space`, its advance `adv`), which draw nothing,
 * at the ends of the box, in a cluster of their own after the run's glyphs
 * (which carry no text), so that the PDF gives the text as ActualText over
 * the box. x0 and scale map the box into the glyphs' space (font expansion
 * scales them about the first run's origin). */
static void text_box_glyphs(const rt_draw *d, unsigned space, double adv, double x0, double scale,
                            double y, rt_glyph out[2]) {
    out[0] = (rt_glyph){space, (d->text_x0 - x0) / scale, y};
    out[1] = (rt_glyph){space, (d->text_x1 - x0) / scale - adv, y};
}

/* A word's text ends at least `least` before the next word: its second
 * glyph g[at] moves left by what the space `gap` lacks (not past its
 * first). */
static void open_gap(rt_glyph *g, long at, double gap, double least) {
    if (at < 1 || gap >= least)
        return;
    g[at].x = fmax(g[at - 1].x, g[at].x - (least - gap));
}

/* Moves a baseline off whole device units (a call without ink whose glyph
 * origins round to an empty box is dropped by Cairo). */
static double off_whole_units(rt_canvas *cv, double x, double y) {
    cv->ops->to_device(cv, &x, &y);
    if (fabs(y - round(y)) < 0.01)
        y += 0.05;
    cv->ops->from_device(cv, &x, &y);
    return y;
}

/* The text of runs d[0..n) (a batch) read at a vertical scale of their own
 * (rt_draw.text_sy), their glyphs drawn without text: over each word (the
 * bytes between spaces; a no-break space stays in its word), two space
 * glyphs, which draw nothing, at the word's ends, in a cluster whose text
 * is the word, and a space glyph for each space between words (a gap
 * between two runs is one: a table's figures are grouped by thin spaces,
 * which extractors take for no space at all at a larger size). One call,
 * scaled vertically about the baseline. */
static void draw_carriers(rt_canvas *cv, const rt_draw *d, size_t n) {
    unsigned space;
    double adv;
    if (!rt_font_space(d->run->font, &space, &adv))
        return;
    size_t cap = 2, tcap = 1;
    for (size_t k = 0; k < n; k++) {
        cap += 2 * d[k].run->n_glyphs + 1;
        tcap += 2 * d[k].run->len + 2;
    }
    rt_glyph *g = rt_xmalloc(cap * sizeof *g);
    rt_cluster *cl = rt_xmalloc(cap * sizeof *cl);
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
            g[ng++] = (rt_glyph){space, end, 0};
            cl[nc++] = (rt_cluster){1, 1};
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
                g[ng++] = (rt_glyph){space, left, 0};
                cl[nc++] = (rt_cluster){1, 1};
                text[nt++] = ' ';
            } else {
                memcpy(text + nt, r->utf8 + b0, (size_t)(b1 - b0));
                nt += (size_t)(b1 - b0);
                g[ng++] = (rt_glyph){space, left, 0};
                g[ng++] = (rt_glyph){space, fmax(left, right - adv), 0};
                last_word = (long)ng - 1;
                cl[nc++] = (rt_cluster){b1 - b0, 2};
            }
            ch = che;
            i = e;
        }
        end = AT(rx1);
#undef AT
    }
    double y = off_whole_units(cv, d->x, d->y);
    rt_matrix m = {1, 0, 0, d->text_sy, 0, y};
    cv->ops->glyphs(cv, d->run->font, &m, text, (int)nt, g, (int)ng, cl, (int)nc);
    free(g);
    free(cl);
    free(text);
}

/* Draws runs d[0..n) (one run, or a batch for which same_batch holds). */
static void draw_runs(rt_painter *b, const rt_draw *d, size_t n, bool boxes) {
    rt_canvas *cv = b->cv;
    bool carried = boxes && d->text_sy > 0 && d->run->len > 0 && clusters_ok(d->run);
    /* the font's space, for the runs read over boxes of their own */
    unsigned space = 0;
    double adv = 0;
    bool have_space = false, any_box = false;
    for (size_t k = 0; boxes && !carried && k < n && !any_box; k++)
        any_box = d[k].text_x1 > 0 && d[k].run->len > 0;
    if (any_box)
        have_space = rt_font_space(d->run->font, &space, &adv);
    size_t ng = 0, nt = 0;
    for (size_t k = 0; k < n; k++) {
        ng += d[k].run->n_glyphs + 2; /* (2: the glyphs of a text box) */
        nt += d[k].run->len;
    }
    reserve(b, ng, ng, nt);
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
            b->cl[nc++] = (rt_cluster){0, (int)r->n_glyphs};
            text_box_glyphs(&d[k], space, adv, ox, scaled ? sx : 1, b->g[gi].y,
                            b->g + gi + r->n_glyphs);
            b->cl[nc++] = (rt_cluster){(int)r->len, 2};
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
    /* font expansion: the glyphs scaled horizontally about the first origin */
    rt_matrix m = {sx, 0, 0, 1, ox, oy}, *mp = scaled ? &m : NULL;
    if (carried || (n == 1 && d->run->len == 0)) { /* glyphs that stand for no text (a drop
                                                cap: its letter is read with the word
                                                it begins) */
        b->cl[0] = (rt_cluster){0, (int)gi};
        cv->ops->glyphs(cv, d->run->font, mp, "", 0, b->g, (int)gi, b->cl, 1);
    } else if (ok && nc > 0) {
        cv->ops->glyphs(cv, d->run->font, mp, b->text, (int)ti, b->g, (int)gi, b->cl, (int)nc);
    } else {
        cv->ops->glyphs(cv, d->run->font, mp, NULL, 0, b->g, (int)gi, NULL, 0);
    }
    if (carried)
        draw_carriers(cv, d, n);
}

/* A reading-order mark: the run's two space glyphs, which draw nothing, at
 * the ends of the box and scaled so that their ascent plus descent (what
 * extractors take for a word's height) fills it; one cluster, so that the
 * PDF gives the two spaces as ActualText and leaves the space glyph's own
 * mapping alone. */
static void draw_mark(rt_canvas *cv, const rt_draw *dr) {
    const rt_run *r = dr->run;
    if (r->n_glyphs != 2 || r->width <= 0 || dr->w <= 0 || dr->h <= 0)
        return;
    double ascent = rt_font_ascent(r->font);
    double tall = ascent + rt_font_descent(r->font);
    if (tall <= 0)
        return;
    double sx = dr->w / r->width, sy = dr->h / tall;
    double x = dr->x, y = off_whole_units(cv, dr->x, dr->y + ascent * sy);
    rt_glyph g[2] = {{r->glyphs[0], 0, 0}, {r->glyphs[1], r->width - (r->pen[2] - r->pen[1]), 0}};
    rt_cluster cl = {2, 2};
    rt_matrix m = {sx, 0, 0, sy, x, y};
    cv->ops->glyphs(cv, r->font, &m, "  ", 2, g, 2, &cl, 1);
}

/* Crop marks at the trim corners, outside the bleed, in the layout's black. */
void rt_painter_crop_marks(rt_painter *p, const rt_composition *c) {
    double gap = c->bleed + 1.0 * RT_MM, len = 6.0 * RT_MM;
    double W = c->width, H = c->height;
    set_color(p->cv, p->l, p->l->rule_color);
    double xs[2] = {0, W}, ys[2] = {0, H}, seg[32];
    size_t n = 0;
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++) {
            double x = xs[i], y = ys[k];
            double dx = i ? 1 : -1, dy = k ? 1 : -1;
            double s[8] = {x + dx * gap, y, x + dx * (gap + len), y, x,
                           y + dy * gap, x, y + dy * (gap + len)};
            memcpy(seg + 4 * n, s, sizeof s);
            n += 2;
        }
    p->cv->ops->lines(p->cv, seg, n, 0.25);
}

/* Paints a page's items in the current user space (trim at the origin). */
static void paint_page(rt_painter *pt, const rt_page *pg, int depth) {
    rt_canvas *cv = pt->cv;
    for (size_t i = 0; i < pg->n_draws; i++) {
        const rt_draw *dr = &pg->draws[i];
        switch (dr->kind) {
        case RT_DRAW_RUN: {
            size_t j = i + 1;
            if (clusters_ok(dr->run))
                while (j < pg->n_draws && same_batch(dr, &pg->draws[j], depth == 0))
                    j++;
            set_draw_color(cv, pt->l, dr);
            draw_runs(pt, dr, j - i, depth == 0);
            i = j - 1;
            break;
        }
        case RT_DRAW_RECT:
            set_draw_color(cv, pt->l, dr);
            cv->ops->rect(cv, dr->x, dr->y, dr->w, dr->h, dr->stroke, dr->line_width);
            break;
        case RT_DRAW_LINE: {
            set_draw_color(cv, pt->l, dr);
            double seg[4] = {dr->x, dr->y, dr->w, dr->h};
            cv->ops->lines(cv, seg, 1, dr->line_width);
            break;
        }
        case RT_DRAW_IMAGE:
            paint_image_draw(pt, dr);
            break;
        case RT_DRAW_MARK:
            if (depth == 0) { /* not in thumbnails (the flatplan) */
                set_draw_color(cv, pt->l, dr);
                draw_mark(cv, dr);
            }
            break;
        case RT_DRAW_PAGE:
            if (depth > 0 || !dr->page)
                break; /* pages are drawn one level deep */
            cv->ops->save(cv);
            cv->ops->clip_rect(cv, dr->x, dr->y, dr->w, dr->h);
            translate_scale(cv, dr->x, dr->y, dr->sx, dr->sx);
            paint_page(pt, dr->page, depth + 1);
            cv->ops->restore(cv);
            break;
        }
    }
}

void rt_painter_page(rt_painter *p, const rt_page *pg) {
    paint_page(p, pg, 0);
}
