/* compose: where the supporter messages go. Decided first, drawing nothing
 * (cmp_plan_messages): in the gaps of article pages, larger first, then
 * spread over the message pages on the layout's grid (larger formats first,
 * then by sender and file, each on the page with the most room, then evened
 * out so that each page is 3/4 full); then drawn, each in its framed box
 * (msgbox.h), and the paper's own box in the room they leave (house.h). */
#include "messages.h"
#include "house.h"

#include "msgbox.h"

#include <math.h>
#include <stdint.h>
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

static msg_page new_msg_page(composer *c) {
    const rt_layout *l = c->l;
    rt_page *pg = cmp_new_page(c);
    pg->messages = true;
    pg->section = rt_xstrdup(l->words[c->e->lang].messages_title);
    double x = cmp_area_left(c, pg->number);
    double ty, cy, ry;
    cmp_msg_head(c, &ty, &cy, &ry);
    cmp_draw_string(c, pg, l->words[c->e->lang].messages_title, &l->styles[RT_ST_PAGE_TITLE],
                    c->e->lang, x, c->area_w, ty, RT_ALIGN_LEFT);
    cmp_draw_string(c, pg, l->words[c->e->lang].support_call, &l->styles[RT_ST_STANDFIRST],
                    c->e->lang, x, c->area_w, cy, RT_ALIGN_LEFT);
    cmp_rule(pg, x, ry, x + c->area_w, ry, 2.5, l->accent_color);
    msg_page mp = {pg, rt_xcalloc((size_t)(l->msg_rows * l->msg_columns), 1), ry + c->B};
    return mp;
}

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
        if (m->short_paid) { /* the loader said why (a warning at its amount) */
            if (report_held) {
                c->out->messages_held++;
                c->out->messages[i].held = m->short_paid;
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

static void place_message(composer *c, rt_page *pg, size_t idx, const rt_doc *doc, double bx,
                          double by, double bw, double bh) {
    const rt_message *m = &c->e->messages[idx];
    cmp_msg_set ms;
    cmp_measure_message(c, m, doc, bw, bh, &ms);
    cmp_draw_message(c, pg, m, &ms, bx, by, bw, bh);
    if (!ms.fit.fits)
        cmp_report_fit(c, m, doc, &ms.fit);
    cmp_msg_set_free(&ms);
    c->out->messages_placed++;
    rt_message_place *mpl = &c->out->messages[idx];
    mpl->page = pg->number;
    mpl->x = bx;
    mpl->y = by;
    mpl->w = bw;
    mpl->h = bh;
}

/* ----------------------------------------------------- where they go */

/* The box of a gap on an article page, inside its rules. */
static void gap_box(const composer *c, const rt_house_box *hb, int page_number, double *x,
                    double *y, double *w, double *h) {
    rt_page pg = {.number = page_number};
    *x = cmp_col_x(c, &pg, hb->col0);
    *w = cmp_span_w(c, hb->columns);
    *y = cmp_row_top(c, hb->top) + c->B * 0.3;
    *h = (hb->bottom - hb->top) * c->B - c->B * 0.6;
}

/* The heading over messages in a gap ("Ils nous soutiennent"). */
static double gap_label(const composer *c) {
    return c->l->styles[RT_ST_KICKER].leading + c->B;
}

/* Packs messages into a gap of w x h (below its label) on shelves: the
 * largest that fits first. Marks what it takes; returns the height used
 * below the label (0: none). */
static double pack_gap(const composer *c, const msg_ref *refs, size_t n, bool *taken, double w,
                       double h, int gap, cmp_msg_spot *spot) {
    const rt_layout *l = c->l;
    double label = gap_label(c);
    double y = 0, shelf_h = 0, x = 0, used = 0;
    for (;;) {
        /* the largest message left that fits beside the others on this shelf */
        int pick = -1;
        double pw = 0, ph = 0;
        for (size_t k = 0; k < n && pick < 0; k++) {
            if (taken[refs[k].idx])
                continue;
            double bw, bh;
            cmp_msg_box_size(c, &l->rates[c->e->messages[refs[k].idx].rate], &bw, &bh);
            double top = shelf_h > 0 ? y : y;
            if (x + bw <= w + 0.01 && label + top + bh <= h + 0.01 &&
                (shelf_h == 0 || bh <= shelf_h + 0.01)) {
                pick = (int)k;
                pw = bw;
                ph = bh;
            }
        }
        if (pick < 0) {
            if (shelf_h == 0)
                break;                /* nothing fits even on a new shelf */
            y += shelf_h + l->gutter; /* a new shelf */
            x = 0;
            shelf_h = 0;
            continue;
        }
        size_t idx = refs[pick].idx;
        taken[idx] = true;
        spot[idx] =
            (cmp_msg_spot){.gap = gap, .page = -1, .x = x, .y = label + y, .w = pw, .h = ph};
        if (ph > shelf_h)
            shelf_h = ph;
        x += pw + l->gutter;
        if (label + y + shelf_h > used)
            used = label + y + shelf_h;
    }
    return used;
}

/* The first place (top to bottom, left to right) on a grid of gc x gr
 * where a box of `cols` x `rows` cells fits; marks it. False if none. */
static bool grid_take(unsigned char *g, int gc, int gr, int cols, int rows, int *gx, int *gy) {
    for (int y = 0; y + rows <= gr; y++)
        for (int x = 0; x + cols <= gc; x++) {
            bool fits = true;
            for (int yy = y; yy < y + rows && fits; yy++)
                for (int xx = x; xx < x + cols && fits; xx++)
                    fits = !g[yy * gc + xx];
            if (!fits)
                continue;
            for (int yy = y; yy < y + rows; yy++)
                for (int xx = x; xx < x + cols; xx++)
                    g[yy * gc + xx] = 1;
            *gx = x;
            *gy = y;
            return true;
        }
    return false;
}

/* Sets the messages of page p (page_of[idx] == p) on its grid anew, in the
 * order of refs (larger first), into spot. False if they do not fit. */
static bool regrid_page(const composer *c, const msg_ref *refs, size_t n, const bool *taken,
                        const int *page_of, int p, cmp_msg_spot *spot) {
    const rt_layout *l = c->l;
    int gc = l->msg_columns, gr = l->msg_rows;
    unsigned char *g = rt_xcalloc((size_t)(gc * gr) + 1, 1);
    bool ok = true;
    for (size_t k = 0; k < n && ok; k++) {
        size_t idx = refs[k].idx;
        if (taken[idx] || page_of[idx] != p)
            continue;
        const rt_rate *r = &l->rates[c->e->messages[idx].rate];
        int x, y;
        ok = grid_take(g, gc, gr, r->columns, r->rows, &x, &y);
        if (ok)
            spot[idx] = (cmp_msg_spot){.gap = -1, .page = p, .gx = x, .gy = y};
    }
    free(g);
    return ok;
}

/* Evens out the message pages after the greedy spread: while the emptiest
 * page is under 3/4 full, the exchange with another page (one or two of its
 * messages for none, one or two of the emptiest's) that raises the lower of
 * the two pages most, if both still fit their grid. An edition whose pages
 * are all 3/4 full keeps the greedy spread. */
static void balance_pages(const composer *c, const msg_ref *refs, size_t n, const bool *taken,
                          int np, cmp_msg_spot *spot, double page_area) {
    const rt_layout *l = c->l;
    size_t nm = c->e->n_messages;
    int *page_of = rt_xcalloc(nm + 1, sizeof *page_of);
    double *box = rt_xcalloc(nm + 1, sizeof *box);
    double *area = rt_xcalloc((size_t)np + 1, sizeof *area);
    cmp_msg_spot *trial = rt_xcalloc(nm + 1, sizeof *trial);
    for (size_t i = 0; i < nm; i++)
        page_of[i] = -1;
    for (size_t k = 0; k < n; k++) {
        size_t idx = refs[k].idx;
        if (taken[idx] || spot[idx].page < 0)
            continue;
        double bw, bh;
        cmp_msg_box_size(c, &l->rates[c->e->messages[idx].rate], &bw, &bh);
        box[idx] = bw * bh;
        page_of[idx] = spot[idx].page;
        area[spot[idx].page] += box[idx];
    }
    for (size_t iter = 0; iter < 4 * n + 4; iter++) {
        int lo = 0;
        for (int p = 1; p < np; p++)
            if (area[p] < area[lo] - 1e-9)
                lo = p;
        if (area[lo] >= 0.75 * page_area)
            break;
        /* the best exchange: one or two messages of a page hi for none, one
         * or two of page lo (formats do not add up exactly: a 1/8 is a little
         * more than two 1/16, for the gutter between them) */
        double best = area[lo] + 1e-6;
        size_t ba[2] = {SIZE_MAX, SIZE_MAX}, bb[2] = {SIZE_MAX, SIZE_MAX};
        int bhi = -1;
        size_t on_lo[64], n_lo = 0;
        for (size_t k = 0; k < n && n_lo < 64; k++)
            if (!taken[refs[k].idx] && page_of[refs[k].idx] == lo)
                on_lo[n_lo++] = refs[k].idx;
        for (size_t ka = 0; ka < n; ka++) {
            size_t a0 = refs[ka].idx;
            if (taken[a0] || page_of[a0] < 0 || page_of[a0] == lo)
                continue;
            int hi = page_of[a0];
            for (size_t ka2 = ka; ka2 <= n; ka2++) { /* ka2 == ka: a0 alone */
                size_t a1 = ka2 == ka || ka2 == n ? SIZE_MAX : refs[ka2].idx;
                if (ka2 == n || (a1 != SIZE_MAX && (taken[a1] || page_of[a1] != hi)))
                    continue;
                double give = box[a0] + (a1 != SIZE_MAX ? box[a1] : 0);
                for (size_t i = 0; i <= n_lo; i++)
                    for (size_t j = i; j <= n_lo; j++) {
                        if (i == n_lo && j != n_lo)
                            continue;
                        /* i == n_lo: nothing back; j == i: one; else two */
                        size_t b0 = i < n_lo ? on_lo[i] : SIZE_MAX;
                        size_t b1 = j > i && j < n_lo ? on_lo[j] : SIZE_MAX;
                        if (j > i && j == n_lo)
                            continue;
                        double d =
                            give - (b0 != SIZE_MAX ? box[b0] : 0) - (b1 != SIZE_MAX ? box[b1] : 0);
                        if (d <= 0)
                            continue;
                        double low = fmin(area[lo] + d, area[hi] - d);
                        if (low <= best)
                            continue;
                        size_t mv[4] = {a0, a1, b0, b1};
                        int to[4] = {lo, lo, hi, hi};
                        for (int m = 0; m < 4; m++)
                            if (mv[m] != SIZE_MAX)
                                page_of[mv[m]] = to[m];
                        memcpy(trial, spot, nm * sizeof *trial);
                        bool fits = regrid_page(c, refs, n, taken, page_of, lo, trial) &&
                                    regrid_page(c, refs, n, taken, page_of, hi, trial);
                        for (int m = 0; m < 4; m++)
                            if (mv[m] != SIZE_MAX)
                                page_of[mv[m]] = to[m] == lo ? hi : lo;
                        if (fits) {
                            best = low;
                            bhi = hi;
                            ba[0] = a0;
                            ba[1] = a1;
                            bb[0] = b0;
                            bb[1] = b1;
                        }
                    }
            }
        }
        if (bhi < 0)
            break;
        int hi = bhi;
        for (int m = 0; m < 2; m++) {
            if (ba[m] != SIZE_MAX) {
                page_of[ba[m]] = lo;
                area[lo] += box[ba[m]];
                area[hi] -= box[ba[m]];
            }
            if (bb[m] != SIZE_MAX) {
                page_of[bb[m]] = hi;
                area[hi] += box[bb[m]];
                area[lo] -= box[bb[m]];
            }
        }
        regrid_page(c, refs, n, taken, page_of, lo, spot);
        regrid_page(c, refs, n, taken, page_of, hi, spot);
    }
    free(page_of);
    free(box);
    free(area);
    free(trial);
}

/* Packs the messages not taken on `pages` message pages (0: as few as they
 * need), spreading them: each goes, larger ones first, on the page with the
 * most room where it fits. Returns the pages used, or -1 if they do not fit
 * `pages`. */
static int pack_pages(const composer *c, const msg_ref *refs, size_t n, const bool *taken,
                      int pages, cmp_msg_spot *spot, double *fill_min) {
    const rt_layout *l = c->l;
    int gc = l->msg_columns, gr = l->msg_rows;
    size_t cells = 0;
    for (size_t k = 0; k < n; k++)
        if (!taken[refs[k].idx]) {
            const rt_rate *r = &l->rates[c->e->messages[refs[k].idx].rate];
            cells += (size_t)(r->columns * r->rows);
        }
    *fill_min = 0;
    if (!cells)
        return 0;
    int np = pages > 0 ? pages : (int)((cells + (size_t)(gc * gr) - 1) / (size_t)(gc * gr));
    for (;; np++) {
        unsigned char *used = rt_xcalloc((size_t)np * (size_t)(gc * gr), 1);
        int *free_ = rt_xcalloc((size_t)np, sizeof *free_);
        for (int p = 0; p < np; p++)
            free_[p] = gc * gr;
        bool ok = true;
        for (size_t k = 0; k < n && ok; k++) {
            size_t idx = refs[k].idx;
            if (taken[idx])
                continue;
            const rt_rate *r = &l->rates[c->e->messages[idx].rate];
            /* pages by free room, most first (the lower number on a tie) */
            int order[256], no = 0;
            for (int p = 0; p < np && no < 256; p++) {
                int at = no++;
                while (at > 0 && free_[order[at - 1]] < free_[p]) {
                    order[at] = order[at - 1];
                    at--;
                }
                order[at] = p;
            }
            bool placed = false;
            for (int oi = 0; oi < no && !placed; oi++) {
                int p = order[oi];
                int x, y;
                if (grid_take(used + (size_t)p * (size_t)(gc * gr), gc, gr, r->columns, r->rows, &x,
                              &y)) {
                    free_[p] -= r->columns * r->rows;
                    spot[idx] = (cmp_msg_spot){.gap = -1, .page = p, .gx = x, .gy = y};
                    placed = true;
                }
            }
            ok = placed;
        }
        if (ok) { /* each page's boxes over its grid, gutters included */
            /* a page's fill as the report measures it: the boxes over the
             * area from the grid's top to the foot of the text area */
            double ty, cy, ry;
            cmp_msg_head(c, &ty, &cy, &ry);
            double gw = c->area_w, gh = cmp_row_top(c, c->rows) - (ry + c->B);
            balance_pages(c, refs, n, taken, np, spot, gw * gh);
            double *area = rt_xcalloc((size_t)np, sizeof *area);
            for (size_t k = 0; k < n; k++) {
                const cmp_msg_spot *sp = &spot[refs[k].idx];
                if (taken[refs[k].idx] || sp->page < 0)
                    continue;
                double bw, bh;
                cmp_msg_box_size(c, &l->rates[c->e->messages[refs[k].idx].rate], &bw, &bh);
                area[sp->page] += bw * bh;
            }
            *fill_min = 1;
            for (int p = 0; p < np; p++)
                if (area[p] / (gw * gh) < *fill_min)
                    *fill_min = area[p] / (gw * gh);
            free(area);
        }
        free(used);
        free(free_);
        if (ok)
            return np;
        if (pages > 0)
            return -1;
    }
}

void cmp_plan_messages(composer *c, const rt_house_box *gaps, size_t n_gaps, int pages,
                       cmp_msg_plan *mp) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    memset(mp, 0, sizeof *mp);
    mp->spot = rt_xcalloc(e->n_messages + 1, sizeof *mp->spot);
    mp->gap_used = rt_xcalloc(n_gaps + 1, sizeof *mp->gap_used);
    mp->n_gaps = n_gaps;
    for (size_t i = 0; i < e->n_messages; i++)
        mp->spot[i] = (cmp_msg_spot){.gap = -1, .page = -1};
    if (!e->n_messages || !l->n_rates || l->msg_columns <= 0 || l->msg_rows <= 0)
        return;
    msg_ref *refs = rt_xcalloc(e->n_messages + 1, sizeof *refs);
    bool *taken = rt_xcalloc(e->n_messages + 1, sizeof *taken);
    size_t n = msg_refs(c, refs, false);
    /* the gaps of article pages first: fewer house boxes */
    for (size_t gi = 0; gi < n_gaps; gi++) {
        double x, y, w, h;
        gap_box(c, &gaps[gi], gaps[gi].page > 0 ? gaps[gi].page : 2, &x, &y, &w, &h);
        mp->gap_used[gi] = pack_gap(c, refs, n, taken, w, h, (int)gi, mp->spot);
        for (size_t i = 0; i < e->n_messages; i++)
            if (mp->spot[i].gap == (int)gi) {
                mp->in_gaps += mp->spot[i].w * mp->spot[i].h;
            }
    }
    double pw, ph;
    cmp_msg_box_size(c, &(rt_rate){.columns = l->msg_columns, .rows = l->msg_rows}, &pw, &ph);
    mp->in_gaps /= pw * ph;
    mp->pages = pack_pages(c, refs, n, taken, pages, mp->spot, &mp->fill_min);
    if (mp->pages < 0) { /* too many for `pages`: as many as they need */
        for (size_t i = 0; i < e->n_messages; i++)
            if (mp->spot[i].gap < 0)
                mp->spot[i].page = -1;
        mp->pages = pack_pages(c, refs, n, taken, 0, mp->spot, &mp->fill_min);
    }
    free(refs);
    free(taken);
}

void cmp_msg_plan_free(cmp_msg_plan *mp) {
    free(mp->spot);
    free(mp->gap_used);
    memset(mp, 0, sizeof *mp);
}

int cmp_message_pages(composer *c) {
    cmp_msg_plan mp;
    cmp_plan_messages(c, NULL, 0, 0, &mp);
    int n = mp.pages;
    cmp_msg_plan_free(&mp);
    return n;
}

/* ---------------------------------------------------------------- drawing */

void cmp_fill_gaps(composer *c, rt_doc *const *msg_docs, const cmp_msg_plan *mp,
                   bool front_called) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    const rt_style *ks = &l->styles[RT_ST_KICKER];
    /* the call once a page: a second box on it says how, a third who */
    int *boxes = rt_xcalloc(c->out->n_pages + 1, sizeof *boxes);
    if (front_called) /* its rail has the call and the rates: who places a message */
        boxes[0] = 2;
    for (size_t h = 0; h < c->out->n_house; h++) {
        rt_house_box *hb = &c->out->house[h];
        rt_page *pg = &c->out->pages[hb->page - 1];
        double x, y, w, hh;
        gap_box(c, hb, pg->number, &x, &y, &w, &hh);
        double used = h < mp->n_gaps ? mp->gap_used[h] : 0;
        int placed = 0;
        /* the messages of this gap, centred as a group */
        double right = 0;
        for (size_t i = 0; i < e->n_messages; i++)
            if (mp->spot[i].gap == (int)h && mp->spot[i].x + mp->spot[i].w > right)
                right = mp->spot[i].x + mp->spot[i].w;
        double dx = (w - right) / 2;
        for (size_t i = 0; i < e->n_messages; i++) {
            const cmp_msg_spot *sp = &mp->spot[i];
            if (sp->gap != (int)h)
                continue;
            if (!placed)
                cmp_draw_string(c, pg, l->words[e->lang].messages_title, ks, e->lang, x, w,
                                y + ks->size, RT_ALIGN_LEFT);
            place_message(c, pg, i, msg_docs ? msg_docs[i] : NULL, x + dx + sp->x, y + sp->y, sp->w,
                          sp->h);
            placed++;
        }
        hb->messages = placed;
        /* what is left under them: the call for messages */
        int *nth = &boxes[hb->page - 1];
        if (placed ? cmp_house_box_draw(c, pg, x, y + used + c->B, w, hh - used - c->B, *nth - 1)
                   : cmp_house_box_draw(c, pg, x, y, w, hh, *nth - 1))
            (*nth)++;
    }
    free(boxes);
}

void cmp_messages(composer *c, rt_doc *const *msg_docs, const cmp_msg_plan *mp) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    if (!e->n_messages || !l->n_rates || l->msg_columns <= 0 || l->msg_rows <= 0)
        return;
    /* held messages, reported */
    msg_ref *refs = rt_xcalloc(e->n_messages + 1, sizeof *refs);
    msg_refs(c, refs, true);
    free(refs);
    int n_pages = mp->pages;
    msg_page *pages = rt_xcalloc((size_t)n_pages + 1, sizeof *pages);
    for (int p = 0; p < n_pages; p++)
        pages[p] = new_msg_page(c);
    /* creating pages moves the page array: point into it now */
    for (int p = 0; p < n_pages; p++)
        pages[p].page = &c->out->pages[c->out->n_pages - (size_t)n_pages + (size_t)p];
    double cw, ch; /* one grid cell */
    cmp_msg_box_size(c, &(rt_rate){.columns = 1, .rows = 1}, &cw, &ch);
    for (size_t i = 0; i < e->n_messages; i++) {
        const cmp_msg_spot *sp = &mp->spot[i];
        if (sp->page < 0 || sp->page >= n_pages)
            continue;
        const rt_message *m = &e->messages[i];
        const rt_rate *r = &l->rates[m->rate];
        msg_page *pg = &pages[sp->page];
        double bw, bh;
        cmp_msg_box_size(c, r, &bw, &bh);
        double bx = cmp_area_left(c, pg->page->number) + sp->gx * (cw + l->gutter);
        double by = pg->grid_top + sp->gy * (ch + l->gutter);
        place_message(c, pg->page, i, msg_docs ? msg_docs[i] : NULL, bx, by, bw, bh);
        for (int y = sp->gy; y < sp->gy + r->rows && y < l->msg_rows; y++)
            for (int x = sp->gx; x < sp->gx + r->columns && x < l->msg_columns; x++)
                pg->used[y * l->msg_columns + x] = 1;
    }
    for (int p = 0; p < n_pages; p++) {
        cmp_house_fill_grid(c, pages[p].page, pages[p].used, pages[p].grid_top, p);
        free(pages[p].used);
    }
    free(pages);
}
