/* compose: reading-order marks for layout-analysing text extractors.
 *
 * `pdftotext -raw` reads the content stream, which is the composer's reading
 * order. Plain `pdftotext` (poppler's layout analysis, the guess most
 * archives, search engines and copy-paste make) reads a page by its own
 * guess at blocks and columns, and on a modular page it guesses wrong: the
 * story under the left half of a wide one is read before the wide one's
 * right columns (nothing tells it where the wide story ends); a standfirst's
 * box is stretched over the empty space above a neighbour's column and read
 * before that neighbour's byline; two columns of equal lines are taken for a
 * table and read across.
 *
 * The composer knows the page's structure, so it writes it down. The page's
 * modules (story pieces, supporter messages, house boxes, the front page's
 * rail) are cut recursively, an X-Y cut: across the whole region where no
 * module straddles the line, else down; inside each story piece its lines
 * and figures are cut the same way, down first (its columns), a region
 * narrower than a column and a half left whole. Every cut gets an invisible
 * mark: two space glyphs (they draw nothing) in one cluster whose text
 * (ActualText) is two spaces, stretched along the cut. An extractor sees a
 * line of spaces where the cut is: across a horizontal cut a line 1 pt high
 * (poppler then reads what is above before what is below), down a vertical
 * one a column of marks the height of the region (it then stops a block's
 * box from stretching over the neighbour, and no table is seen across it).
 *
 * A mark must not be taken into a block of text, nor two marks of
 * neighbouring gutters into one block: poppler joins words whose sizes are
 * within 60 % (20 % for words beside a block, up to one font size away), so
 * horizontal marks are 1 pt high, vertical ones 0.6 column pitch high
 * (overlapping to fill the region) or, in a region shorter than that, a
 * stack of 1 pt marks. Text never comes that small or that large in a
 * column's gutter. */
#include "order.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* poppler's height of a word, per point of font size, is the font's ascent
 * plus descent: the marks' heights are set through the same extents (render
 * scales the run so that its glyphs' ascent plus descent is the mark's h) */
#define HMARK_H 1.1     /* horizontal marks: height, points */
#define VMARK_PITCH 0.6 /* vertical marks: height of one, in column pitches */
#define STACK_STEP 1.3  /* a stack of small marks: baseline to baseline, points */
#define INSET 3.0       /* vertical marks end this far inside their region */
#define MAX_DEPTH 16
/* a font's ascent as extractors take it (the font's own), in ems: at least
 * and at most (PT Serif 1.04, PT Sans 1.02, Liberation Serif 0.89) */
#define ASCENT_MIN 0.7
#define ASCENT_MAX 1.15

/* A module or a drawn item, and where extractors will see the tops of its
 * lines: at least `top_lo`, at most `top_hi` (a word's box starts a font's
 * ascent above its baseline, which may stick out above a module's box). */
typedef struct {
    double x0, y0, x1, y1;
    double top_lo, top_hi;
} box;

typedef struct {
    composer *c;
    rt_page *pg;
    const rt_run *run; /* two spaces of the body font */
    box *tmp;          /* the sort's room */
    size_t cap_tmp;
} marker;

typedef struct {
    bool across_first; /* try horizontal cuts before vertical ones */
    double gap_across; /* least empty height for a horizontal cut, points (may be < 0) */
    double gap_down;   /* least empty width for a vertical cut */
    double min_w;      /* regions narrower than this are not cut */
} cut_rules;

static void mark(marker *m, double x, double y, double w, double h) {
    cmp_push(m->pg, (rt_draw){.kind = RT_DRAW_MARK,
                              .x = x,
                              .y = y,
                              .w = w,
                              .h = h,
                              .run = m->run,
                              .color = m->run->color});
}

/* A vertical mark at x down [y0, y1]. */
static void mark_down(marker *m, double x, double y0, double y1) {
    double h = y1 - y0 - 2 * INSET;
    double tall = VMARK_PITCH * (m->c->col_w + m->c->l->gutter);
    if (h >= tall) {
        int n = (int)ceil(h / tall);
        double step = n > 1 ? (h - tall) / (n - 1) : 0;
        for (int i = 0; i < n; i++)
            mark(m, x - 0.1, y0 + INSET + i * step, 0.2, tall);
    } else {
        for (double y = y0 + INSET; y + HMARK_H <= y1 - INSET; y += STACK_STEP)
            mark(m, x - 0.1, y, 0.2, HMARK_H);
    }
}

/* Where a cut down between x `end` and `next` goes: the middle of the text
 * area's gutter when one lies in that gap, else the middle of the gap. One
 * gutter's marks then share one x on the whole page: extractors stretch a
 * block sideways to what lies under it, and a mark a little off the others
 * of its gutter (the cut between two footnotes) would stretch the ones
 * above it into the next column, which then reads before them. */
static double cut_down_at(const marker *m, double end, double next) {
    const composer *c = m->c;
    double pitch = c->col_w + c->l->gutter;
    double x0 = cmp_col_x(c, m->pg, 0) + c->col_w + c->l->gutter / 2;
    double k = round(((end + next) / 2 - x0) / pitch);
    double g = x0 + k * pitch;
    if (k >= 0 && k < c->l->columns - 1 && g > end && g < next)
        return g;
    return (end + next) / 2;
}

/* Whether a goes before b: by top (across) or left edge, then by bottom or
 * right edge. */
static bool before(const box *a, const box *b, bool across) {
    double ka = across ? a->y0 : a->x0, kb = across ? b->y0 : b->x0;
    if (ka != kb)
        return ka < kb;
    return across ? a->y1 < b->y1 : a->x1 < b->x1;
}

/* A stable sort of b[0..n) (tmp: room for n): merge sort, insertion sort
 * for short runs. The cuts cut each band again on the other axis, so most
 * of a page's lines are sorted many times over: this costs a third of
 * qsort's indirect calls, and stable, it orders equal boxes as it did. */
static void sort_boxes(box *b, size_t n, bool across, box *tmp) {
    if (n <= 12) {
        for (size_t i = 1; i < n; i++) {
            box v = b[i];
            size_t k = i;
            while (k > 0 && before(&v, &b[k - 1], across)) {
                b[k] = b[k - 1];
                k--;
            }
            b[k] = v;
        }
        return;
    }
    size_t h = n / 2;
    sort_boxes(b, h, across, tmp);
    sort_boxes(b + h, n - h, across, tmp);
    if (!before(&b[h], &b[h - 1], across))
        return; /* in order already */
    memcpy(tmp, b, h * sizeof *b);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        b[o++] = before(&b[j], &tmp[i], across) ? b[j++] : tmp[i++];
    while (i < h)
        b[o++] = tmp[i++];
}

/* Cuts the region holding b[0..n) along one axis where nothing straddles
 * (bands at least `gap` apart), marks each cut and cuts each band again.
 * False when no cut was found on that axis. */
static void xy_cut(marker *m, box *b, size_t n, const cut_rules *r, int depth);
static bool cut_axis(marker *m, box *b, size_t n, const cut_rules *r, int depth, bool across,
                     const box *reg) {
    double gap = across ? r->gap_across : r->gap_down;
    if (n > m->cap_tmp) {
        m->cap_tmp = 2 * n;
        m->tmp = rt_xrealloc(m->tmp, m->cap_tmp * sizeof *m->tmp);
    }
    sort_boxes(b, n, across, m->tmp);
    size_t start = 0;
    double end = across ? b[0].y1 : b[0].x1;
    bool cut = false;
    for (size_t i = 1; i <= n; i++) {
        double next = i < n ? (across ? b[i].y0 : b[i].x0) : HUGE_VAL;
        if (next < end + gap) { /* straddles: the band goes on */
            double e = across ? b[i].y1 : b[i].x1;
            if (e > end)
                end = e;
            continue;
        }
        if (i == n && !cut)
            return false; /* one band: no cut on this axis */
        if (i < n) {
            double at = across ? (end + next) / 2 : cut_down_at(m, end, next);
            if (across) {
                /* extractors read the mark after the band above and before
                 * the one below when its top is under the last line top
                 * above and over the first line top below: in the gap if
                 * it is there, else between those tops */
                double above = -HUGE_VAL, below = HUGE_VAL;
                for (size_t k = start; k < i; k++)
                    above = fmax(above, b[k].top_hi);
                for (size_t k = i; k < n; k++)
                    below = fmin(below, b[k].top_lo);
                double y = at - HMARK_H / 2;
                if ((y <= above || y >= below) && above < below)
                    y = (above + below) / 2;
                mark(m, reg->x0, y, reg->x1 - reg->x0, HMARK_H);
            } else {
                mark_down(m, at, reg->y0, reg->y1);
            }
        }
        xy_cut(m, b + start, i - start, r, depth + 1);
        cut = true;
        start = i;
        if (i < n)
            end = across ? b[i].y1 : b[i].x1;
    }
    return true;
}

static void xy_cut(marker *m, box *b, size_t n, const cut_rules *r, int depth) {
    if (n < 2 || depth > MAX_DEPTH)
        return;
    box reg = b[0];
    for (size_t i = 1; i < n; i++) {
        reg.x0 = fmin(reg.x0, b[i].x0);
        reg.y0 = fmin(reg.y0, b[i].y0);
        reg.x1 = fmax(reg.x1, b[i].x1);
        reg.y1 = fmax(reg.y1, b[i].y1);
    }
    if (reg.x1 - reg.x0 < r->min_w)
        return;
    if (!cut_axis(m, b, n, r, depth, r->across_first, &reg))
        cut_axis(m, b, n, r, depth, !r->across_first, &reg);
}

/* A table's row as read: the bottom of its lines' tops and the top of
 * them, and its width. */
typedef struct {
    double hi, lo, x0, x1;
    double first, last, size; /* its first and last baselines, its largest font size */
} row_tops;

/* Marks across a table between its rows (tops[0..n), one table's rows in a
 * column, top to bottom), where extractors read the row above before the
 * row below: under the last line top above, over the first line top below
 * (rt_draw.text_sy keeps a row's cells out of the next row's blocks; these
 * order the rows). */
static void mark_rows(marker *m, const row_tops *tops, size_t n) {
    double x0 = tops[0].x0, x1 = tops[0].x1;
    for (size_t i = 1; i < n; i++) {
        x0 = fmin(x0, tops[i].x0);
        x1 = fmax(x1, tops[i].x1);
    }
    for (size_t i = 1; i < n; i++)
        if (tops[i - 1].hi < tops[i].lo)
            mark(m, x0, (tops[i - 1].hi + tops[i].lo) / 2 - HMARK_H / 2, x1 - x0, HMARK_H);
    /* and above its first row and under its last, where the lines of the
     * column go on (a line's top is 0.7 to 1.15 of its size above its
     * baseline, and lines are at least 1.25 of their size apart) */
    mark(m, x0, tops[0].first - 1.4 * tops[0].size, x1 - x0, HMARK_H);
    mark(m, x0, tops[n - 1].last - 0.2 * tops[n - 1].size, x1 - x0, HMARK_H);
}

/* t's box grown to take in q's, and the lowest of their top bounds. */
static void grow(box *t, const box *q) {
    t->x0 = fmin(t->x0, q->x0);
    t->y0 = fmin(t->y0, q->y0);
    t->x1 = fmax(t->x1, q->x1);
    t->y1 = fmax(t->y1, q->y1);
    t->top_lo = fmin(t->top_lo, q->top_lo);
}

/* The text lines and figures drawn inside `piece` (its kicker, headline,
 * columns, captions, photos), from the page's draws [0, n); the lines of a
 * table's rows in one column as one item (a cut down through it would part
 * its cells), with marks between its rows. The words of a line less than
 * `join` apart (the least gap a cut down needs) are one item: no cut parts
 * boxes that overlap in height and are closer than that, so the cuts are
 * the same, with a tenth of the items to sort. */
static box *piece_items(marker *m, size_t n, box piece, double join, size_t *count) {
    const rt_page *pg = m->pg;
    double line_base = NAN; /* the baseline of items[k - 1] when it is words of a line */
    box *items = NULL;
    size_t k = 0, cap = 0;
    uintptr_t unit = 0; /* the table of items[k - 1], if any */
    int row = -1;
    row_tops *tops = NULL;
    size_t nt = 0, tcap = 0;
    for (size_t i = 0; i < n; i++) {
        const rt_draw *d = &pg->draws[i];
        box q;
        double base = d->y, size = 0;
        if (d->kind == RT_DRAW_RUN) {
            size = rt_font_size(d->run->font);
            double w = d->run->width * (d->sx > 0 ? d->sx : 1);
            q = (box){d->x,
                      d->y - size * 0.8,
                      d->x + w,
                      d->y + size * 0.25,
                      d->y - size * ASCENT_MAX,
                      d->y - size * ASCENT_MIN};
        } else if (d->kind == RT_DRAW_IMAGE) {
            q = (box){d->x, d->y, d->x + d->w, d->y + d->h, d->y, d->y};
        } else {
            continue;
        }
        double cx = (q.x0 + q.x1) / 2, cy = (q.y0 + q.y1) / 2;
        if (cx < piece.x0 || cx > piece.x1 || cy < piece.y0 || cy > piece.y1)
            continue;
        uintptr_t u = d->kind == RT_DRAW_RUN ? d->unit : 0;
        int drow = d->kind == RT_DRAW_RUN ? d->unit_row : -1; /* (marks below move the draws) */
        box *t = k ? &items[k - 1] : NULL;
        bool same_row = u && u == unit && drow == row;
        if (u && u == unit && (same_row || (q.x0 < t->x1 && q.x1 > t->x0))) {
            /* the table goes on in its column (its runs are drawn together) */
            grow(t, &q);
            t->top_hi = fmin(t->top_hi, q.top_hi);
            if (!same_row) {
                RT_PUSH(tops, nt, tcap,
                        ((row_tops){q.top_hi, q.top_lo, q.x0, q.x1, base, base, size}));
                row = drow;
            }
            row_tops *rt = &tops[nt - 1];
            rt->hi = fmax(rt->hi, q.top_hi);
            rt->lo = fmin(rt->lo, q.top_lo);
            rt->x0 = fmin(rt->x0, q.x0);
            rt->x1 = fmax(rt->x1, q.x1);
            rt->first = fmin(rt->first, base);
            rt->last = fmax(rt->last, base);
            rt->size = fmax(rt->size, size);
            continue;
        }
        if (!u && d->kind == RT_DRAW_RUN && t && line_base == base && q.x0 >= t->x0 &&
            q.x0 < t->x1 + join && q.y0 < t->y1 && q.y1 > t->y0) {
            /* the next word of a line: one item (no cut could part them) */
            grow(t, &q);
            t->top_hi = fmax(t->top_hi, q.top_hi);
            continue;
        }
        line_base = !u && d->kind == RT_DRAW_RUN ? base : NAN;
        if (nt > 0)
            mark_rows(m, tops, nt);
        nt = 0;
        RT_PUSH(items, k, cap, q);
        unit = u;
        row = u ? drow : -1;
        if (u)
            RT_PUSH(tops, nt, tcap, ((row_tops){q.top_hi, q.top_lo, q.x0, q.x1, base, base, size}));
    }
    if (nt > 0)
        mark_rows(m, tops, nt);
    free(tops);
    *count = k;
    return items;
}

static box module(double x, double y, double w, double h) {
    return (box){.x0 = x, .y0 = y, .x1 = x + w, .y1 = y + h, .top_lo = y, .top_hi = y};
}

/* The tops of the lines drawn inside each module (from the page's draws
 * [0, n)); a module without text keeps its own top. */
static void module_tops(const rt_page *pg, size_t n, box *mods, size_t k) {
    for (size_t j = 0; j < k; j++)
        mods[j].top_lo = mods[j].top_hi = NAN;
    for (size_t i = 0; i < n; i++) {
        const rt_draw *d = &pg->draws[i];
        if (d->kind != RT_DRAW_RUN || !d->run->len)
            continue;
        double size = rt_font_size(d->run->font), cy = d->y - size * 0.3;
        for (size_t j = 0; j < k; j++) {
            box *b = &mods[j];
            if (d->x < b->x0 - 1 || d->x > b->x1 || cy < b->y0 || cy > b->y1)
                continue;
            double lo = d->y - size * ASCENT_MAX, hi = d->y - size * ASCENT_MIN;
            b->top_lo = isnan(b->top_lo) ? lo : fmin(b->top_lo, lo);
            b->top_hi = isnan(b->top_hi) ? hi : fmax(b->top_hi, hi);
            break;
        }
    }
    for (size_t j = 0; j < k; j++)
        if (isnan(mods[j].top_lo))
            mods[j].top_lo = mods[j].top_hi = mods[j].y0;
}

void cmp_mark_reading_order(composer *c, const double *rail) {
    rt_composition *out = c->out;
    const rt_style *body = &c->l->styles[RT_ST_BODY];
    rt_run *run = rt_shape_run(c->ctx->shaper, "  ", 2, cmp_font(c, body, 0), body->color);
    if (run->n_glyphs != 2) { /* the body font shapes spaces as spaces */
        rt_run_free(run);
        return;
    }
    RT_PUSH(out->runs, out->n_runs, out->cap_runs, run);
    box *tmp = NULL;
    size_t cap_tmp = 0;
    for (size_t p = 0; p < out->n_pages; p++) {
        rt_page *pg = &out->pages[p];
        box *mods = NULL;
        size_t n = 0, cap = 0;
        rt_block_iter it = {0};
        for (const rt_segment *sg; (sg = rt_page_next_block(out, pg->number, &it));)
            RT_PUSH(mods, n, cap, module(sg->x, sg->y, sg->w, sg->h));
        size_t pieces = n;
        for (size_t i = 0; i < out->n_messages; i++) {
            const rt_message_place *mp = &out->messages[i];
            if (mp->page == pg->number)
                RT_PUSH(mods, n, cap, module(mp->x, mp->y, mp->w, mp->h));
        }
        for (size_t i = 0; i < out->n_house; i++) {
            const rt_house_box *hb = &out->house[i];
            if (hb->page != pg->number || hb->messages) /* a gap of messages: they are above */
                continue;
            double x = cmp_col_x(c, pg, hb->col0);
            RT_PUSH(mods, n, cap,
                    module(x, cmp_row_top(c, hb->top), cmp_span_w(c, hb->columns),
                           cmp_row_top(c, hb->bottom) - cmp_row_top(c, hb->top)));
        }
        for (size_t i = 0; i < out->n_calls; i++) {
            const rt_call_box *cb = &out->calls[i];
            if (cb->page == pg->number)
                RT_PUSH(mods, n, cap, module(cb->x, cb->y, cb->w, cb->h));
        }
        if (p == 0 && rail && rail[2] > 0)
            RT_PUSH(mods, n, cap, module(rail[0], rail[1], rail[2], rail[3]));
        size_t drawn = pg->n_draws; /* the page's own draws, before any mark */
        module_tops(pg, drawn, mods, n);
        box *pieces_box = rt_xmalloc((pieces + 1) * sizeof *pieces_box);
        if (pieces)
            memcpy(pieces_box, mods, pieces * sizeof *mods);
        marker m = {c, pg, run, tmp, cap_tmp};
        /* modules touch across a rule row or a gutter; a point of overlap is
         * rounding, not a straddle */
        cut_rules page_rules = {true, -1, -1, 0};
        xy_cut(&m, mods, n, &page_rules, 0);
        cut_rules piece_rules = {false, c->B * 0.25, c->l->gutter * 0.5, c->col_w * 1.5};
        for (size_t s = 0; s < pieces; s++) {
            size_t k;
            box *items = piece_items(&m, drawn, pieces_box[s], piece_rules.gap_down, &k);
            xy_cut(&m, items, k, &piece_rules, 0);
            free(items);
        }
        tmp = m.tmp;
        cap_tmp = m.cap_tmp;
        free(pieces_box);
        free(mods);
    }
    free(tmp);
}
