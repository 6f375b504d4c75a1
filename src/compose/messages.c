/* compose: supporter-message pages. Messages are packed on the layout's
 * message grid (first fit, larger formats first, then by sender and file),
 * each in a framed box: text on top, the signature below it. */
#include "compose_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    size_t idx;
    int area;
} msg_ref;

static const rt_edition *sort_edition;

static int cmp_msg(const void *pa, const void *pb) {
    const msg_ref *a = pa, *b = pb;
    if (a->area != b->area)
        return b->area - a->area;
    const rt_message *ma = &sort_edition->messages[a->idx], *mb = &sort_edition->messages[b->idx];
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

static msg_page new_msg_page(composer *c) {
    const rt_layout *l = c->l;
    rt_page *pg = cmp_new_page(c);
    pg->messages = true;
    pg->section = rt_xstrdup(l->words[c->e->lang].messages_title);
    double x = cmp_area_left(c, pg->number);
    const rt_style *ts = &l->styles[RT_ST_PAGE_TITLE];
    const rt_style *ss = &l->styles[RT_ST_STANDFIRST];
    int row = 2;
    double y = cmp_row_top(c, row) + ts->size;
    cmp_draw_string(c, pg, l->words[c->e->lang].messages_title, ts, c->e->lang, x, c->area_w, y,
                    RT_ALIGN_LEFT);
    y += ts->leading * 0.3 + ss->size + ss->leading * 0.4;
    cmp_draw_string(c, pg, l->words[c->e->lang].support_call, ss, c->e->lang, x, c->area_w, y,
                    RT_ALIGN_LEFT);
    y += ss->leading * 0.6;
    cmp_rule(pg, x, y, x + c->area_w, y, 2.5, l->accent_color);
    msg_page mp = {pg, rt_xcalloc((size_t)(l->msg_rows * l->msg_columns), 1), y + c->B};
    return mp;
}

/* Typesets a message in a box of inner width w with its styles scaled by
 * `scale`; returns its height. */
static double message_height(composer *c, const rt_message *m, const rt_doc *doc, double w,
                             double scale, tpara **paras, size_t *n_paras, tpara *from,
                             rt_style *ts, rt_style *fs) {
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
            (*paras)[(*n_paras)++] = tp;
        } else {
            cmp_tpara_free(&tp);
        }
    }
    memset(from, 0, sizeof *from);
    if (cmp_typeset_text(c, from, m->from, fs, c->e->lang, w))
        h += fs->leading * 0.5 + from->lines.n * fs->leading;
    return h;
}

static void free_paras(tpara *paras, size_t n, tpara *from) {
    for (size_t i = 0; i < n; i++)
        cmp_tpara_free(&paras[i]);
    free(paras);
    cmp_tpara_free(from);
}

void cmp_messages(composer *c, rt_doc *const *msg_docs) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    if (!e->n_messages || !l->n_rates || l->msg_columns <= 0 || l->msg_rows <= 0)
        return;
    msg_ref *refs = rt_xcalloc(e->n_messages, sizeof *refs);
    size_t n = 0;
    for (size_t i = 0; i < e->n_messages; i++) {
        const rt_message *m = &e->messages[i];
        if (m->rate < 0 || (size_t)m->rate >= l->n_rates)
            continue;
        if (m->status == RT_PAY_PENDING) {
            c->out->messages_held++;
            c->out->messages[i].held = "payment pending";
            rt_warning(c->d, m->path, 0, 0, "payment pending: message held, not printed");
            continue;
        }
        refs[n].idx = i;
        refs[n].area = l->rates[m->rate].columns * l->rates[m->rate].rows;
        n++;
    }
    sort_edition = e;
    qsort(refs, n, sizeof *refs, cmp_msg);

    msg_page *pages = NULL;
    size_t n_pages = 0, cap_pages = 0;
    int gc = l->msg_columns, gr = l->msg_rows;
    double pad = 2.2 * RT_MM;
    for (size_t k = 0; k < n; k++) {
        const rt_message *m = &e->messages[refs[k].idx];
        const rt_rate *r = &l->rates[m->rate];
        int pi = -1, px = 0, py = 0;
        for (size_t p = 0; p < n_pages + 1 && pi < 0; p++) {
            if (p == n_pages) {
                msg_page mp = new_msg_page(c);
                RT_PUSH(pages, n_pages, cap_pages, mp);
            }
            for (int y = 0; y + r->rows <= gr && pi < 0; y++)
                for (int x = 0; x + r->columns <= gc && pi < 0; x++) {
                    bool free_ = true;
                    for (int yy = y; yy < y + r->rows && free_; yy++)
                        for (int xx = x; xx < x + r->columns; xx++)
                            if (pages[p].used[yy * gc + xx]) {
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
        msg_page *mp = &pages[pi];
        for (int yy = py; yy < py + r->rows; yy++)
            for (int xx = px; xx < px + r->columns; xx++)
                mp->used[yy * gc + xx] = 1;
        /* geometry */
        double gut = l->gutter;
        double gx = cmp_area_left(c, mp->page->number);
        double gh = cmp_row_top(c, c->rows) - mp->grid_top;
        double cw = (c->area_w - (gc - 1) * gut) / gc;
        double ch = (gh - (gr - 1) * gut) / gr;
        double bx = gx + px * (cw + gut), by = mp->grid_top + py * (ch + gut);
        double bw = r->columns * cw + (r->columns - 1) * gut;
        double bh = r->rows * ch + (r->rows - 1) * gut;
        cmp_push(mp->page, (rt_draw){.kind = RT_DRAW_RECT, .x = bx, .y = by, .w = bw, .h = bh,
                                     .color = l->rule_color, .stroke = true,
                                     .line_width = 0.75});
        tpara *paras;
        size_t np;
        tpara from;
        rt_style ts_, fs_;
        const rt_style *ts = &ts_, *fs = &fs_;
        double inner_w = bw - 2 * pad;
        double avail = bh - 2 * pad;
        const rt_doc *doc = msg_docs ? msg_docs[refs[k].idx] : NULL;
        /* a larger box gets larger type: the largest scale (up to 2.6x, in
         * steps) whose text fills at most 80 % of the box */
        double scale = 1.0, h = 0;
        for (double s = 2.6; s > 1.0; s -= 0.2) {
            h = message_height(c, m, doc, inner_w - 2 * pad * (s - 1), s, &paras, &np, &from,
                               &ts_, &fs_);
            free_paras(paras, np, &from);
            if (h <= avail * 0.8) {
                scale = s;
                break;
            }
        }
        if (scale > 1.0)
            inner_w -= 2 * pad * (scale - 1);
        h = message_height(c, m, doc, inner_w, scale, &paras, &np, &from, &ts_, &fs_);
        if (h > avail + 0.01)
            rt_error(c->d, m->path, m->text_mark.line, m->text_mark.col,
                     "text does not fit a '%s' box: %.0f lines too long", r->name,
                     ceil((h - avail) / ts->leading));
        double x0 = bx + pad + (bw - 2 * pad - inner_w) / 2;
        /* centre the content vertically in the box */
        double y = by + pad + (avail > h ? (avail - h) / 2 : 0);
        for (size_t i = 0; i < np; i++) {
            if (i)
                y += ts->leading * 0.4;
            double last = cmp_draw_lines(c, mp->page, &paras[i], x0, y + ts->size, ts->leading);
            y = last + (ts->leading - ts->size);
            cmp_tpara_free(&paras[i]);
        }
        free(paras);
        if (from.para) {
            y += fs->leading * 0.5;
            cmp_draw_lines(c, mp->page, &from, x0, y + fs->size, fs->leading);
            cmp_tpara_free(&from);
        }
        c->out->messages_placed++;
        rt_message_place *mpl = &c->out->messages[refs[k].idx];
        mpl->page = mp->page->number;
        mpl->x = bx;
        mpl->y = by;
        mpl->w = bw;
        mpl->h = bh;
    }
    for (size_t p = 0; p < n_pages; p++)
        free(pages[p].used);
    free(pages);
    free(refs);
}
