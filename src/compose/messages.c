/* compose: supporter-message pages. Messages are packed on the layout's
 * message grid (first fit, larger formats first, then by sender and file),
 * each in a framed box: text on top, the signature below it. */
#include "messages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    size_t idx;
    int area;
} msg_ref;

static int cmp_msg(const void *pa, const void *pb, void *edition) {
    const msg_ref *a = pa, *b = pb;
    const rt_edition *e = edition;
    if (a->area != b->area)
        return b->area - a->area;
    const rt_message *ma = &e->messages[a->idx], *mb = &e->messages[b->idx];
    int r = strcasecmp(ma->from, mb->from);
    if (r)
        return r;
    return strcmp(ma->path, mb->path);
}

typedef struct {
    rt_page *page;
    unsigned char *used; /* msg_rows x msg_columns */
    double grid_top;     /* y of the grid's top edge */
} msg_page;

/* The heading of a message page: baselines of the title and the call, and
 * the rule under them; the grid starts one grid step below the rule. */
static void msg_head(const composer *c, double *title_y, double *call_y, double *rule_y) {
    const rt_style *ts = &c->l->styles[RT_ST_PAGE_TITLE];
    const rt_style *ss = &c->l->styles[RT_ST_STANDFIRST];
    *title_y = cmp_row_top(c, 2) + ts->size;
    *call_y = *title_y + ts->leading * 0.3 + ss->size + ss->leading * 0.4;
    *rule_y = *call_y + ss->leading * 0.6;
}

/* Size of the box of format r on the message grid. */
static void msg_box_size(const composer *c, const rt_rate *r, double *bw, double *bh) {
    const rt_layout *l = c->l;
    double ty, cy, ry;
    msg_head(c, &ty, &cy, &ry);
    double gh = cmp_row_top(c, c->rows) - (ry + c->B);
    double cw = (c->area_w - (l->msg_columns - 1) * l->gutter) / l->msg_columns;
    double ch = (gh - (l->msg_rows - 1) * l->gutter) / l->msg_rows;
    *bw = r->columns * cw + (r->columns - 1) * l->gutter;
    *bh = r->rows * ch + (r->rows - 1) * l->gutter;
}

static msg_page new_msg_page(composer *c) {
    const rt_layout *l = c->l;
    rt_page *pg = cmp_new_page(c);
    pg->messages = true;
    pg->section = rt_xstrdup(l->words[c->e->lang].messages_title);
    double x = cmp_area_left(c, pg->number);
    double ty, cy, ry;
    msg_head(c, &ty, &cy, &ry);
    cmp_draw_string(c, pg, l->words[c->e->lang].messages_title, &l->styles[RT_ST_PAGE_TITLE],
                    c->e->lang, x, c->area_w, ty, RT_ALIGN_LEFT);
    cmp_draw_string(c, pg, l->words[c->e->lang].support_call, &l->styles[RT_ST_STANDFIRST],
                    c->e->lang, x, c->area_w, cy, RT_ALIGN_LEFT);
    cmp_rule(pg, x, ry, x + c->area_w, ry, 2.5, l->accent_color);
    msg_page mp = {pg, rt_xcalloc((size_t)(l->msg_rows * l->msg_columns), 1), ry + c->B};
    return mp;
}

/* Typesets a message in a box of inner width w with its styles scaled by
 * `scale`; returns its height. */
static bool has_overfull(const tpara *tp) {
    for (size_t i = 0; i < tp->lines.n; i++)
        if (tp->lines.lines[i].overfull)
            return true;
    return false;
}

static double message_height(composer *c, const rt_message *m, const rt_doc *doc, double w,
                             double scale, tpara **paras, size_t *n_paras, tpara *from,
                             rt_style *ts, rt_style *fs, bool *overfull) {
    *overfull = false;
    const rt_layout *l = c->l;
    *ts = l->styles[RT_ST_MESSAGE_TEXT];
    *fs = l->styles[RT_ST_MESSAGE_FROM];
    ts->size *= scale;
    ts->leading *= scale;
    fs->size *= scale;
    fs->leading *= scale;
    double h = 0;
    *n_paras = 0;
    *paras = rt_xcalloc(doc ? doc->n_blocks + 1 : 1, sizeof **paras);
    for (size_t i = 0; doc && i < doc->n_blocks; i++) {
        tpara tp;
        if (cmp_typeset(c, &tp, doc->blocks[i].spans, doc->blocks[i].n_spans, ts, c->e->lang, w,
                        0)) {
            if (*n_paras)
                h += ts->leading * 0.4;
            h += tp.lines.n * ts->leading;
            *overfull |= has_overfull(&tp);
            (*paras)[(*n_paras)++] = tp;
        } else {
            cmp_tpara_free(&tp);
        }
    }
    memset(from, 0, sizeof *from);
    if (cmp_typeset_text(c, from, m->from, fs, c->e->lang, w)) {
        h += fs->leading * 0.5 + from->lines.n * fs->leading;
        *overfull |= has_overfull(from);
    }
    return h;
}

static void free_paras(tpara *paras, size_t n, tpara *from) {
    for (size_t i = 0; i < n; i++)
        cmp_tpara_free(&paras[i]);
    free(paras);
    cmp_tpara_free(from);
}

#define MSG_PAD (2.2 * RT_MM)

/* A message measured in its box: the logo's size, the text and signature
 * typeset at the chosen scale, how it fits. */
typedef struct {
    double logo_w, logo_h; /* 0: no logo */
    double inner_w;        /* measure of the text */
    double avail;          /* height for the text (below the logo) */
    rt_style ts, fs;       /* text and signature styles at the chosen scale */
    tpara *paras;
    size_t n_paras;
    tpara from;
    rt_message_fit fit;
} msg_set;

/* Measures message m in a box of bw x bh: the largest type (up to 2.6x, in
 * steps) that fills at most 80 % of the box, below its logo. Draws nothing. */
static void measure_message(composer *c, const rt_message *m, const rt_doc *doc, double bw,
                            double bh, msg_set *ms) {
    double pad = MSG_PAD;
    memset(ms, 0, sizeof *ms);
    double inner_w = bw - 2 * pad;
    double avail = bh - 2 * pad;
    /* a logo on top, whole (never cropped), at most a third of the box */
    if (m->logo && m->logo_w > 0 && m->logo_h > 0) {
        ms->logo_h = avail / 3;
        ms->logo_w = ms->logo_h * m->logo_w / m->logo_h;
        if (ms->logo_w > inner_w) {
            ms->logo_w = inner_w;
            ms->logo_h = ms->logo_w * m->logo_h / m->logo_w;
        }
        avail -= ms->logo_h + pad;
    }
    double scale = 1.0, h = 0;
    bool overfull;
    for (double s = 2.6; s > 1.0; s -= 0.2) {
        h = message_height(c, m, doc, inner_w - 2 * pad * (s - 1), s, &ms->paras, &ms->n_paras,
                           &ms->from, &ms->ts, &ms->fs, &overfull);
        free_paras(ms->paras, ms->n_paras, &ms->from);
        if (h <= avail * 0.8 && !overfull) {
            scale = s;
            break;
        }
    }
    if (scale > 1.0)
        inner_w -= 2 * pad * (scale - 1);
    h = message_height(c, m, doc, inner_w, scale, &ms->paras, &ms->n_paras, &ms->from, &ms->ts,
                       &ms->fs, &overfull);
    ms->inner_w = inner_w;
    ms->avail = avail;
    rt_message_fit *fit = &ms->fit;
    fit->scale = scale;
    fit->height = h;
    fit->room = avail;
    fit->lines_over = h > avail + 0.01 ? (int)ceil((h - avail) / ms->ts.leading) : 0;
    fit->too_wide = overfull;
    fit->fits = !fit->lines_over && !overfull;
}

/* Draws a measured message in the box (bx, by, bw, bh): the frame, the
 * logo, the text and the signature, centred vertically. */
static void draw_message(composer *c, rt_page *pg, const rt_message *m, const msg_set *ms,
                         double bx, double by, double bw, double bh) {
    const rt_layout *l = c->l;
    double pad = MSG_PAD;
    cmp_frame(pg, bx, by, bw, bh, 0.75, l->rule_color);
    if (ms->logo_h > 0) {
        cmp_push(pg, (rt_draw){.kind = RT_DRAW_IMAGE,
                               .x = bx + (bw - ms->logo_w) / 2,
                               .y = by + pad,
                               .w = ms->logo_w,
                               .h = ms->logo_h,
                               .image = m->logo,
                               .contain = true,
                               .img_w = m->logo_w,
                               .img_h = m->logo_h});
        by += ms->logo_h + pad;
    }
    const rt_style *ts = &ms->ts, *fs = &ms->fs;
    double h = ms->fit.height;
    double x0 = bx + pad + (bw - 2 * pad - ms->inner_w) / 2;
    double y = by + pad + (ms->avail > h ? (ms->avail - h) / 2 : 0);
    for (size_t i = 0; i < ms->n_paras; i++) {
        if (i)
            y += ts->leading * 0.4;
        double last = cmp_draw_lines(c, pg, &ms->paras[i], x0, y + ts->size, ts->leading);
        y = last + (ts->leading - ts->size);
    }
    if (ms->from.para) {
        y += fs->leading * 0.5;
        cmp_draw_lines(c, pg, &ms->from, x0, y + fs->size, fs->leading);
    }
}

static void msg_set_free(msg_set *ms) {
    free_paras(ms->paras, ms->n_paras, &ms->from);
    ms->paras = NULL;
    ms->n_paras = 0;
}

static void report_fit(rt_diag *d, const rt_message *m, const rt_rate *r,
                       const rt_message_fit *fit) {
    if (fit->too_wide)
        rt_error(d, m->path, m->text_mark.line, m->text_mark.col,
                 "a word is too wide for a '%s' box (a long address? break it with spaces or "
                 "choose a wider format)",
                 r->name);
    if (fit->lines_over)
        rt_error(d, m->path, m->text_mark.line, m->text_mark.col,
                 "text does not fit a '%s' box: %d line%s too long", r->name, fit->lines_over,
                 fit->lines_over == 1 ? "" : "s");
}

typedef struct {
    int page, x, y; /* message page (0-based), grid cell */
} msg_cell;

/* The messages to print, larger formats first, then by sender and file. */
static size_t msg_refs(const composer *c, msg_ref *refs, bool report_held) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    size_t n = 0;
    for (size_t i = 0; i < e->n_messages; i++) {
        const rt_message *m = &e->messages[i];
        if (m->rate < 0 || (size_t)m->rate >= l->n_rates)
            continue;
        if (m->status == RT_PAY_PENDING) {
            if (report_held) {
                c->out->messages_held++;
                c->out->messages[i].held = "payment pending";
                rt_warning(c->d, m->path, 0, 0, "payment pending: message held, not printed");
            }
            continue;
        }
        refs[n].idx = i;
        refs[n].area = l->rates[m->rate].columns * l->rates[m->rate].rows;
        n++;
    }
    if (n > 1)
        qsort_r(refs, n, sizeof *refs, cmp_msg, (void *)e);
    return n;
}

/* First fit on the message grid, page after page; returns the pages used. */
static size_t msg_pack(const composer *c, const msg_ref *refs, size_t n, msg_cell *cells) {
    const rt_layout *l = c->l;
    int gc = l->msg_columns, gr = l->msg_rows;
    unsigned char *used = NULL; /* n_pages grids of gr x gc */
    size_t n_pages = 0;
    for (size_t k = 0; k < n; k++) {
        const rt_rate *r = &l->rates[c->e->messages[refs[k].idx].rate];
        int pi = -1, px = 0, py = 0;
        for (size_t p = 0; p < n_pages + 1 && pi < 0; p++) {
            if (p == n_pages) {
                used = rt_xrealloc(used, (n_pages + 1) * (size_t)(gc * gr));
                memset(used + n_pages * (size_t)(gc * gr), 0, (size_t)(gc * gr));
                n_pages++;
            }
            const unsigned char *g = used + p * (size_t)(gc * gr);
            for (int y = 0; y + r->rows <= gr && pi < 0; y++)
                for (int x = 0; x + r->columns <= gc && pi < 0; x++) {
                    bool free_ = true;
                    for (int yy = y; yy < y + r->rows && free_; yy++)
                        for (int xx = x; xx < x + r->columns; xx++)
                            if (g[yy * gc + xx]) {
                                free_ = false;
                                break;
                            }
                    if (free_) {
                        pi = (int)p;
                        px = x;
                        py = y;
                    }
                }
        }
        if (pi < 0) { /* a format larger than the grid: the loader refuses those */
            cells[k] = (msg_cell){-1, 0, 0};
            continue;
        }
        unsigned char *g = used + (size_t)pi * (size_t)(gc * gr);
        for (int yy = py; yy < py + r->rows; yy++)
            for (int xx = px; xx < px + r->columns; xx++)
                g[yy * gc + xx] = 1;
        cells[k] = (msg_cell){pi, px, py};
    }
    free(used);
    return n_pages;
}

int cmp_message_pages(composer *c) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    if (!e->n_messages || !l->n_rates || l->msg_columns <= 0 || l->msg_rows <= 0)
        return 0;
    msg_ref *refs = rt_xcalloc(e->n_messages, sizeof *refs);
    msg_cell *cells = rt_xcalloc(e->n_messages, sizeof *cells);
    size_t n = msg_refs(c, refs, false);
    size_t pages = msg_pack(c, refs, n, cells);
    free(refs);
    free(cells);
    return (int)pages;
}

/* The call for supporter messages in a framed box (gaps on article pages). */
static void draw_house_box(composer *c, rt_page *pg, double x, double y, double w, double h) {
    const rt_layout *l = c->l;
    if (h < c->B * 1.5)
        return;
    cmp_frame(pg, x, y, w, h, 1, l->accent_color);
    rt_style st = l->styles[RT_ST_STANDFIRST];
    st.align = RT_ALIGN_CENTER;
    st.bold = true;
    st.hyphenate = false;
    const char *text = l->words[c->e->lang].support_call;
    /* the largest size (8 to 20 pt) whose lines fit the box */
    for (double size = 20; size >= 7.9; size -= 1) {
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
                return;
            }
        }
        cmp_tpara_free(&tp);
    }
}

static void place_message(composer *c, rt_page *pg, size_t idx, const rt_doc *doc, double bx,
                          double by, double bw, double bh) {
    const rt_message *m = &c->e->messages[idx];
    msg_set ms;
    measure_message(c, m, doc, bw, bh, &ms);
    draw_message(c, pg, m, &ms, bx, by, bw, bh);
    if (!ms.fit.fits)
        report_fit(c->d, m, &c->l->rates[m->rate], &ms.fit);
    msg_set_free(&ms);
    c->out->messages_placed++;
    rt_message_place *mpl = &c->out->messages[idx];
    mpl->page = pg->number;
    mpl->x = bx;
    mpl->y = by;
    mpl->w = bw;
    mpl->h = bh;
}

void cmp_fill_gaps(composer *c, rt_doc *const *msg_docs, bool *taken) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    msg_ref *refs = rt_xcalloc(e->n_messages + 1, sizeof *refs);
    size_t n = msg_refs(c, refs, false);
    /* the smallest format of the rate card: the one that fits gaps */
    int small = -1;
    for (size_t k = 0; k < l->n_rates; k++)
        if (small < 0 ||
            l->rates[k].columns * l->rates[k].rows < l->rates[small].columns * l->rates[small].rows)
            small = (int)k;
    double mw = 0, mh = 0;
    if (small >= 0)
        msg_box_size(c, &l->rates[small], &mw, &mh);
    const rt_style *ks = &l->styles[RT_ST_KICKER];
    double label = ks->leading + c->B;
    /* messages of that format, from the end of the order (the last to be
     * packed on message pages) */
    size_t next = n;
    for (size_t h = 0; h < c->out->n_house; h++) {
        rt_house_box *hb = &c->out->house[h];
        rt_page *pg = &c->out->pages[hb->page - 1];
        double x = cmp_col_x(c, pg, hb->col0);
        double w = hb->columns * c->col_w + (hb->columns - 1) * l->gutter;
        double y = cmp_row_top(c, hb->top) + c->B * 0.3;
        double hh = (hb->bottom - hb->top) * c->B - c->B * 0.6;
        int nx = small >= 0 ? (int)((w + l->gutter) / (mw + l->gutter)) : 0;
        int ny = small >= 0 ? (int)((hh - label + l->gutter) / (mh + l->gutter)) : 0;
        int placed = 0;
        if (nx > 0 && ny > 0 && taken) {
            /* how many are left to place here */
            int want = 0;
            for (size_t k = next; k-- > 0 && want < nx * ny;)
                if (e->messages[refs[k].idx].rate == small && !taken[refs[k].idx])
                    want++;
            if (want > 0) {
                int cols = want < nx ? want : nx, rows = (want + cols - 1) / cols;
                double gx = x + (w - (cols * mw + (cols - 1) * l->gutter)) / 2;
                cmp_draw_string(c, pg, l->words[e->lang].messages_title, ks, e->lang, x, w,
                                y + ks->size, RT_ALIGN_LEFT);
                double gy = y + label;
                for (size_t k = next; k-- > 0 && placed < want;) {
                    size_t idx = refs[k].idx;
                    if (e->messages[idx].rate != small || taken[idx])
                        continue;
                    int cx = placed % cols, cy = placed / cols;
                    place_message(c, pg, idx, msg_docs ? msg_docs[idx] : NULL,
                                  gx + cx * (mw + l->gutter), gy + cy * (mh + l->gutter), mw, mh);
                    taken[idx] = true;
                    placed++;
                }
                hb->messages = placed;
                /* what is left under them: the call for messages */
                double used = label + rows * mh + (rows - 1) * l->gutter + c->B;
                draw_house_box(c, pg, x, y + used, w, hh - used);
                continue;
            }
        }
        draw_house_box(c, pg, x, y, w, hh);
    }
    free(refs);
}

void cmp_messages(composer *c, rt_doc *const *msg_docs, const bool *taken) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    if (!e->n_messages || !l->n_rates || l->msg_columns <= 0 || l->msg_rows <= 0)
        return;
    msg_ref *refs = rt_xcalloc(e->n_messages, sizeof *refs);
    msg_cell *cells = rt_xcalloc(e->n_messages, sizeof *cells);
    size_t n = msg_refs(c, refs, true);
    if (taken) { /* placed in gaps of article pages already */
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!taken[refs[i].idx])
                refs[k++] = refs[i];
        n = k;
    }
    size_t n_pages = msg_pack(c, refs, n, cells);
    msg_page *pages = rt_xcalloc(n_pages + 1, sizeof *pages);
    for (size_t p = 0; p < n_pages; p++)
        pages[p] = new_msg_page(c);
    /* creating pages moves the page array: point into it now */
    for (size_t p = 0; p < n_pages; p++)
        pages[p].page = &c->out->pages[c->out->n_pages - n_pages + p];
    double cw, ch; /* one grid cell */
    msg_box_size(c, &(rt_rate){.columns = 1, .rows = 1}, &cw, &ch);
    for (size_t k = 0; k < n; k++) {
        if (cells[k].page < 0)
            continue;
        const rt_message *m = &e->messages[refs[k].idx];
        const rt_rate *r = &l->rates[m->rate];
        msg_page *mp = &pages[cells[k].page];
        double bw, bh;
        msg_box_size(c, r, &bw, &bh);
        double bx = cmp_area_left(c, mp->page->number) + cells[k].x * (cw + l->gutter);
        double by = mp->grid_top + cells[k].y * (ch + l->gutter);
        place_message(c, mp->page, refs[k].idx, msg_docs ? msg_docs[refs[k].idx] : NULL, bx, by, bw,
                      bh);
    }
    for (size_t p = 0; p < n_pages; p++)
        free(pages[p].used);
    free(pages);
    free(refs);
    free(cells);
}

void rt_fit_message(const rt_edition *e, const rt_message *m, const rt_doc *doc, int rate,
                    rt_compose_ctx *ctx, rt_message_fit *fit) {
    composer c;
    cmp_init(&c, e, ctx, NULL, NULL);
    const rt_rate *r = &e->layout->rates[rate];
    double bw, bh;
    msg_box_size(&c, r, &bw, &bh);
    msg_set ms;
    measure_message(&c, m, doc, bw, bh, &ms);
    *fit = ms.fit;
    msg_set_free(&ms);
    cmp_done(&c);
}

void rt_message_box(const rt_edition *e, int rate, double *w, double *h) {
    composer c;
    cmp_init(&c, e, NULL, NULL, NULL);
    msg_box_size(&c, &e->layout->rates[rate], w, h);
}

rt_composition *rt_message_proof(const rt_edition *e, const rt_message *m, const rt_doc *doc,
                                 rt_compose_ctx *ctx, rt_diag *d) {
    const rt_layout *l = e->layout;
    if (m->rate < 0 || (size_t)m->rate >= l->n_rates)
        return NULL;
    const rt_rate *r = &l->rates[m->rate];
    rt_composition *out = rt_xcalloc(1, sizeof *out);
    composer c;
    cmp_init(&c, e, ctx, d, out);
    double bw, bh, margin = 8 * RT_MM, head = 9 * RT_MM;
    msg_box_size(&c, r, &bw, &bh);
    out->width = bw + 2 * margin;
    out->height = bh + 2 * margin + head;
    out->pages = rt_xcalloc(1, sizeof *out->pages);
    out->n_pages = 1;
    rt_page *pg = &out->pages[0];
    pg->number = 1;
    rt_style cap = l->styles[RT_ST_CAPTION];
    char *t = rt_xasprintf("%s \xe2\x80\x94 %d \xc3\x97 %d \xe2\x80\x94 %.0f \xc3\x97 %.0f mm",
                           r->name, r->columns, r->rows, bw / RT_MM, bh / RT_MM);
    cmp_draw_string(&c, pg, t, &cap, e->lang, margin, bw, margin + cap.size, RT_ALIGN_LEFT);
    free(t);
    msg_set ms;
    measure_message(&c, m, doc, bw, bh, &ms);
    draw_message(&c, pg, m, &ms, margin, margin + head, bw, bh);
    if (!ms.fit.fits)
        report_fit(d, m, r, &ms.fit);
    msg_set_free(&ms);
    cmp_done(&c);
    return out;
}
