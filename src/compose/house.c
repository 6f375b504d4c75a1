/* compose: house pages. When the stories and messages leave pages of a
 * sheet empty, each is a full-page advertisement of the paper's own: the
 * call for supporter messages. Set like one: between a thick rule at the
 * top and one at the foot, the messages' title as its kicker, the call as
 * its headline, who places a message and where it prints, the rate card as
 * pictures (each format a small page of the message grid, its share in the
 * accent colour, with its name and price under it) and how to go about it;
 * the blocks spread over the page, the rest of the room shared above and
 * below. The words are the layout's and the edition's (`support_call`,
 * `support_text`, `support_how`: an empty one is left out). The same, scaled,
 * or the call alone, in the framed boxes of gaps on article pages and of
 * the room messages leave on message pages. */
#include "house.h"
#include "msgbox.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GAP (28 * RT_MM)  /* between two blocks, at most */
#define FORMAT_W (46 * RT_MM) /* a format's picture: at most this wide */
#define FORMAT_GAP (7 * RT_MM)

static int color_named(const rt_layout *l, const char *name, int fallback) {
    for (size_t i = 0; i < l->n_colors; i++)
        if (l->colors[i].name && strcmp(l->colors[i].name, name) == 0)
            return (int)i;
    return fallback;
}

/* A block of text, centred: its measure w and its height h (0: none). */
typedef struct {
    tpara tp;
    rt_style st;
    double w, h;
    bool ok;
} text_block;

/* Typesets text in at most width w, its lines balanced: the narrowest
 * measure that takes no more lines (no short last line under long ones). */
static void text_set(composer *c, text_block *b, const char *text, rt_style st, double w) {
    memset(b, 0, sizeof *b);
    b->st = st;
    b->st.align = RT_ALIGN_CENTER;
    b->st.hyphenate = false;
    if (!text || !*text || !cmp_typeset_text(c, &b->tp, text, &b->st, c->e->lang, w))
        return;
    b->ok = true;
    b->w = w;
    size_t lines = b->tp.lines.n;
    double lo = w * 0.5, hi = w;
    for (int k = 0; k < 12 && lines > 1; k++) {
        double mid = (lo + hi) / 2;
        tpara t;
        bool fits = cmp_typeset_text(c, &t, text, &b->st, c->e->lang, mid) && t.lines.n <= lines;
        cmp_tpara_free(&t);
        if (fits)
            hi = mid;
        else
            lo = mid;
    }
    if (hi < w) {
        cmp_tpara_free(&b->tp);
        b->ok = cmp_typeset_text(c, &b->tp, text, &b->st, c->e->lang, hi);
        b->w = hi;
    }
    if (b->ok)
        b->h = (double)b->tp.lines.n * b->st.leading;
}

/* Draws the block with its top at y, centred on cx; returns the y under it. */
static double text_draw(composer *c, rt_page *pg, const text_block *b, double cx, double y) {
    if (!b->ok || b->h <= 0)
        return y;
    cmp_draw_lines(c, pg, &b->tp, cx - b->w / 2, y + b->st.size * 0.9, b->st.leading);
    return y + b->h;
}

/* One format drawn to scale: the message grid's cells in the light colour,
 * the format's share (from the top left) in the accent colour, the page's
 * edge in the rule colour. */
static void draw_format(composer *c, rt_page *pg, const rt_rate *r, double x, double y, double w,
                        double h, int light) {
    const rt_layout *l = c->l;
    int cols = l->msg_columns, rows = l->msg_rows;
    double cw = w / cols, ch = h / rows, in = fmin(cw, ch) * 0.06;
    for (int j = 0; j < rows; j++)
        for (int i = 0; i < cols; i++)
            if ((i >= r->columns || j >= r->rows) && light >= 0)
                cmp_frame(pg, x + i * cw + in, y + j * ch + in, cw - 2 * in, ch - 2 * in, 0, light);
    cmp_frame(pg, x + in, y + in, r->columns * cw - 2 * in, r->rows * ch - 2 * in, 0,
              l->accent_color);
    cmp_frame(pg, x, y, w, h, 0.5, l->rule_color);
}

/* The advertisement's blocks measured at `scale` for a box W wide; false
 * when the call and the rate card do not fit H (the optional blocks that
 * do not fit are left out: the explanation first, then the how-to). */
typedef struct {
    text_block kick, call, text, how;
    rt_style name_st, price_st;
    double fw, fh, fgap, card, gap, used;
} ad;

static void ad_free(ad *a) {
    cmp_tpara_free(&a->kick.tp);
    cmp_tpara_free(&a->call.tp);
    cmp_tpara_free(&a->text.tp);
    cmp_tpara_free(&a->how.tp);
}

static rt_style scaled(rt_style st, double k) {
    st.size *= k;
    st.leading *= k;
    return st;
}

static bool ad_measure(composer *c, ad *a, double W, double H, double scale, bool call) {
    const rt_layout *l = c->l;
    const rt_words *w = &l->words[c->e->lang];
    memset(a, 0, sizeof *a);
    double tw = fmin(W, fmax(W * 0.72, 90 * RT_MM * scale)); /* the measure of the texts */
    if (call) { /* without it (a message page's box): the card and how alone */
        text_set(c, &a->kick, w->messages_title, scaled(l->styles[RT_ST_KICKER], 1.6 * scale), W);
        text_set(c, &a->call, w->support_call, scaled(l->styles[RT_ST_HOUSE_CALL], scale),
                 W - 16 * RT_MM * scale);
        text_set(c, &a->text, w->support_text, scaled(l->styles[RT_ST_STANDFIRST], 1.6 * scale),
                 tw);
    }
    /* without the call, how to place a message at a size to read, the card
     * smaller if need be */
    text_set(c, &a->how, w->support_how,
             scaled(l->styles[RT_ST_STANDFIRST], call ? 1.35 * scale : 0.9), call ? tw : W);
    /* the rate card: the formats side by side, as wide as the box allows */
    size_t n = l->n_rates;
    rt_rate whole = {.columns = l->msg_columns, .rows = l->msg_rows};
    double gw, gh;
    cmp_msg_box_size(c, &whole, &gw, &gh);
    a->fgap = FORMAT_GAP * scale;
    a->fw = n ? fmin(FORMAT_W * scale, (W - (double)(n - 1) * a->fgap) / (double)n) : 0;
    a->fh = gw > 0 ? a->fw * gh / gw : 0;
    const rt_style *rs = &l->styles[RT_ST_HOUSE_RATE];
    a->name_st = a->price_st = *rs;
    a->name_st.bold = true;
    a->name_st.size = a->price_st.size = fmin(rs->size * scale, a->fw * 0.22);
    a->name_st.leading = a->price_st.leading = a->name_st.size * 1.3;
    a->card = n ? a->fh + 0.6 * a->name_st.size + 2 * a->name_st.leading : 0;
    a->used = a->kick.h + a->call.h + a->text.h + a->card + a->how.h;
    if (a->used > H * 0.92 && a->text.h > 0) {
        a->used -= a->text.h;
        a->text.h = 0;
    }
    if (a->used > H * 0.92 && a->how.h > 0) {
        a->used -= a->how.h;
        a->how.h = 0;
    }
    if (a->used > H * 0.92 && a->kick.h > 0) {
        a->used -= a->kick.h;
        a->kick.h = 0;
    }
    /* the room between the blocks: even gaps up to MAX_GAP */
    int blocks = (a->call.h > 0) + (a->text.h > 0) + (a->card > 0) + (a->how.h > 0);
    a->gap = blocks > 1 ? fmin(MAX_GAP * scale, (H - a->used) * 0.6 / (blocks - 1)) : 0;
    if (a->gap < 0)
        a->gap = 0;
    a->used += a->gap * (blocks - 1);
    if (!call && a->how.h <= 0 && w->support_how && *w->support_how && scale > 0.35)
        return false; /* a smaller card, rather than the card alone */
    return a->used <= H && (call ? a->call.h > 0 : a->card > 0);
}

bool cmp_house_ad(composer *c, rt_page *pg, double x, double top, double W, double H, bool call) {
    const rt_layout *l = c->l;
    const rt_words *w = &l->words[c->e->lang];
    ad a;
    double scale = fmin(1, fmax(W / c->area_w, 0.45)); /* a box: as a page that wide */
    for (; !ad_measure(c, &a, W, H, scale, call); scale *= 0.85) {
        ad_free(&a);
        if (scale < 0.3)
            return false;
    }
    double y = top + (H - a.used) / 2, cx = x + W / 2;
    if (a.kick.h > 0)
        y = text_draw(c, pg, &a.kick, cx, y) + c->B * 0.5 * scale;
    y = text_draw(c, pg, &a.call, cx, y);
    if (a.text.h > 0)
        y = text_draw(c, pg, &a.text, cx, y + (a.call.h > 0 ? a.gap : 0));
    size_t n = l->n_rates;
    if (n) {
        if (a.call.h > 0 || a.text.h > 0)
            y += a.gap;
        int light = color_named(l, "light", -1);
        double row_w = (double)n * a.fw + (double)(n - 1) * a.fgap;
        double fx = x + (W - row_w) / 2;
        for (size_t i = 0; i < n; i++, fx += a.fw + a.fgap) {
            const rt_rate *r = &l->rates[i];
            draw_format(c, pg, r, fx, y, a.fw, a.fh, light);
            double base = y + a.fh + 0.6 * a.name_st.size + a.name_st.size;
            cmp_draw_string(c, pg, r->name, &a.name_st, c->e->lang, fx, a.fw, base,
                            RT_ALIGN_CENTER);
            char *price = rt_xasprintf("%.0f", r->price);
            char *amount = rt_xasprintf(w->price, price);
            cmp_draw_string(c, pg, amount, &a.price_st, c->e->lang, fx, a.fw,
                            base + a.name_st.leading, RT_ALIGN_CENTER);
            free(price);
            free(amount);
        }
        y += a.card;
    }
    if (a.how.h > 0)
        text_draw(c, pg, &a.how, cx, y + a.gap);
    ad_free(&a);
    return true;
}

/* The call in a framed box (house.h): the gaps of article pages, the room
 * messages leave on a message page; where the call is said already, the
 * rate card and how, or who places a message. */
bool cmp_house_box_draw(composer *c, rt_page *pg, double x, double y, double w, double h, int nth) {
    bool no_call = nth >= 0; /* the call is said already (the page's head, a box before) */
    const rt_layout *l = c->l;
    const rt_words *wd = &l->words[c->e->lang];
    if (h < c->B * 1.5)
        return false;
    cmp_frame(pg, x, y, w, h, 1, l->accent_color);
    double page = c->area_w * (cmp_row_top(c, c->rows) - cmp_row_top(c, 4)), pad = 4 * RT_MM;
    if ((nth == 0 || (!no_call && w * h >= page / 8 && w >= cmp_span_w(c, 2) - 0.01)) &&
        cmp_house_ad(c, pg, x + pad, y + pad, w - 2 * pad, h - 2 * pad, !no_call))
        return true;
    rt_style st = l->styles[RT_ST_STANDFIRST];
    st.align = RT_ALIGN_CENTER;
    st.bold = !no_call;
    st.hyphenate = false;
    const char *text = wd->support_call;
    if (no_call) { /* box nth says how, who, the call; an empty word: the next that is not
                      the call, the call last */
        const char *role[3] = {wd->support_how, wd->support_text, wd->support_call};
        int first = nth % 3, order[4] = {first, first == 0 ? 1 : 0, first == 2 ? 1 : 2, 2};
        text = NULL;
        for (int k = 0; k < 4 && !text; k++)
            if (role[order[k]] && *role[order[k]])
                text = role[order[k]];
        if (!text)
            return true; /* the frame alone: every word set empty */
    }
    /* the largest size (8 to 20 pt; 16 for a sentence) whose lines fit the box */
    for (double size = no_call ? 16 : 20; size >= 7.9; size -= 1) {
        st.size = size;
        st.leading = size * 1.15;
        tpara tp;
        double pad = 2 * RT_MM;
        if (cmp_typeset_text(c, &tp, text, &st, c->e->lang, w - 2 * pad)) {
            double th = tp.lines.n * st.leading;
            if (th <= h - 2 * pad || size < 8.5) {
                if (th <= h - 2 * pad)
                    cmp_draw_lines(c, pg, &tp, x + pad, y + (h - th) / 2 + size * 0.85, st.leading);
                cmp_tpara_free(&tp);
                return true;
            }
        }
        cmp_tpara_free(&tp);
    }
    return true;
}

/* The largest rectangle of free cells on a message grid (the lower one,
 * then the left one, on a tie), marked taken; false when none is left. */
static bool take_free_rect(unsigned char *g, int gc, int gr, int *rx, int *ry, int *rw, int *rh) {
    /* run[y][x]: the free cells from (x, y) rightwards */
    int *run = rt_xcalloc((size_t)(gc * gr) + 1, sizeof *run);
    for (int y = 0; y < gr; y++)
        for (int x = gc - 1; x >= 0; x--)
            run[y * gc + x] = g[y * gc + x] ? 0 : 1 + (x + 1 < gc ? run[y * gc + x + 1] : 0);
    int best = 0;
    for (int y0 = 0; y0 < gr; y0++)
        for (int x0 = 0; x0 < gc; x0++) /* from (x0, y0) down, as wide as every row allows */
            for (int y1 = y0, w = gc - x0; y1 < gr; y1++) {
                if (run[y1 * gc + x0] < w)
                    w = run[y1 * gc + x0];
                if (!w)
                    break;
                int a = w * (y1 - y0 + 1);
                if (a > best || (a == best && y0 > *ry)) {
                    best = a;
                    *rx = x0, *ry = y0, *rw = w, *rh = y1 - y0 + 1;
                }
            }
    free(run);
    if (!best)
        return false;
    for (int y = *ry; y < *ry + *rh; y++)
        for (int x = *rx; x < *rx + *rw; x++)
            g[y * gc + x] = 1;
    return true;
}

void cmp_house_fill_grid(composer *c, rt_page *pg, unsigned char *used, double grid_top, int turn) {
    const rt_layout *l = c->l;
    int gc = l->msg_columns, gr = l->msg_rows;
    if (!memchr(used, 1, (size_t)(gc * gr))) /* no messages: not a message page */
        return;
    double cw, ch; /* one grid cell */
    cmp_msg_box_size(c, &(rt_rate){.columns = 1, .rows = 1}, &cw, &ch);
    for (int x = 0, y = 0, w = 0, h = 0, nth = 0; take_free_rect(used, gc, gr, &x, &y, &w, &h);) {
        rt_call_box cb = {.page = pg->number,
                          .x = cmp_area_left(c, pg->number) + x * (cw + l->gutter),
                          .y = grid_top + y * (ch + l->gutter),
                          .w = w * cw + (w - 1) * l->gutter,
                          .h = h * ch + (h - 1) * l->gutter};
        int role = nth < 2 && turn % 2 ? 1 - nth : nth; /* every other page: who first */
        if (cmp_house_box_draw(c, pg, cb.x, cb.y, cb.w, cb.h, role)) {
            nth++;
            RT_PUSH(c->out->calls, c->out->n_calls, c->out->cap_calls, cb);
        }
    }
}

void cmp_house_page(composer *c) {
    const rt_layout *l = c->l;
    rt_page *pg = cmp_new_page(c);
    pg->house = true;
    double x = cmp_area_left(c, pg->number), W = c->area_w;
    double top = cmp_row_top(c, 4), bottom = cmp_row_top(c, c->rows);
    double rule = 3;
    cmp_rule(pg, x, top, x + W, top, rule, l->accent_color);
    cmp_rule(pg, x, bottom, x + W, bottom, rule, l->accent_color);
    cmp_house_ad(c, pg, x, top + rule, W, bottom - top - 2 * rule, true);
}
