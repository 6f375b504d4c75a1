/* compose: the page planner. Articles become rectangular blocks on the
 * column grid; each page is tiled with horizontal bands of blocks side by
 * side. For every page the planner searches the arrangements (how the
 * columns of each band are split, which articles go where, how tall each
 * band is), measuring candidate blocks without drawing them (block.h), and
 * places the one with the lowest cost. The costs are the layout's
 * (`composition: costs:`, rt_compose_params; README "Page composition").
 *
 * Editors' pins (page, span, position top/bottom, no_jump) restrict the
 * search; a pin that cannot be honoured is reported with the reason.
 *
 * Longer than most files of compose: the search, its cost and the placing
 * of its result share the plan types and are read together.
 */
#include "plan.h"

#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BANDS 5
#define MAX_COLS CMP_MAX_COLS
#define BIG_ROWS 100000

/* ------------------------------------------------------------ articles */

typedef struct plan_art plan_art;
struct plan_art {
    size_t idx;
    const rt_article *a;
    const rt_entry *en;
    rt_article_place *ap;
    article_flow f;
    size_t next;  /* first flow element not placed yet */
    bool started; /* its first piece (with the header) is placed */
    bool done;
    bool lead;
    int prev_page; /* page of the previous piece */
    /* the jump line of the previous piece, drawn when the next is placed */
    int jump_page; /* page number, 0: none */
    int jump_col, jump_row;
    int meas[MAX_COLS + 1]; /* natural block height per span (0: not measured) */
    int head[MAX_COLS + 1]; /* rows above the body per span */
    int img[MAX_COLS + 1];  /* rows of the first image (with caption) per span */
    int hdr[MAX_COLS + 1];  /* rows of the header alone per span */
};

static void art_changed(plan_art *pa) {
    memset(pa->meas, 0, sizeof pa->meas);
    memset(pa->head, 0, sizeof pa->head);
    memset(pa->img, 0, sizeof pa->img);
    memset(pa->hdr, 0, sizeof pa->hdr);
}

/* Rows above the text when the block must jump: the header, and the first
 * image cropped down to the layout's min_image_rows if it is taller. */
static int min_head(const composer *c, const plan_art *pa, int span) {
    int keep = c->l->compose.min_image_rows;
    if (pa->started || !pa->img[span])
        return pa->head[span];
    return pa->hdr[span] + (pa->img[span] < keep ? pa->img[span] : keep);
}

/* What sits above the body of the article's next piece across `span`
 * columns, measured (nothing drawn). */
static void measure_head(composer *c, const plan_art *pa, int span, int top, int extra, int img_max,
                         cmp_block_head *bh) {
    cmp_head_opts o = {.span = span,
                       .lead = pa->lead,
                       .continued = pa->started ? pa->prev_page : 0,
                       .extra_rows = extra,
                       .img_max = img_max,
                       .page_rows = c->rows,
                       .top = top};
    cmp_measure_block_head(c, pa->a, &o, bh);
}

/* How many rows a block can grow by making its first image taller (up to
 * half its height again): the slack that fills a band without a hole. */
static int image_slack(const plan_art *pa, int span) {
    return pa->img[span] / 2;
}

/* Natural height in rows of the article's next piece as a block of `span`
 * columns: everything left set in balanced columns. */
static int measure(composer *c, plan_art *pa, int span) {
    if (pa->meas[span])
        return pa->meas[span];
    cmp_block_head bh;
    measure_head(c, pa, span, 0, 0, 0, &bh);
    rt_col cols[MAX_COLS];
    for (int i = 0; i < span; i++)
        cols[i] = (rt_col){bh.col_top[i], BIG_ROWS};
    cmp_flow_for_span(c, &pa->f, span); /* tables across the block */
    rt_fill_opts fo = {c->l->compose.min_lines};
    rt_flow_pos *pos = rt_xcalloc(pa->f.n + 1, sizeof *pos);
    int b = rt_fill_balanced(pa->f.els, pa->f.n, pa->next, cols, (size_t)span, &fo, pos);
    free(pos);
    int top = cols[0].top;
    for (int i = 1; i < span; i++)
        if (cols[i].top > top)
            top = cols[i].top;
    if (b < top)
        b = top;
    pa->head[span] = cols[0].top;
    pa->hdr[span] = bh.head.rows;
    pa->img[span] = pa->started || !pa->a->n_images ? 0 : cols[0].top - pa->hdr[span];
    pa->meas[span] = b < 0 ? BIG_ROWS : b;
    cmp_block_head_free(&bh);
    return pa->meas[span];
}

/* ---------------------------------------------------------------- plans */

typedef struct {
    int art;  /* index into the page queue */
    int art2; /* a second article stacked under the first (-1: none) */
    int col0, span;
} slot;

typedef struct {
    int top, height;
    int n;
    slot s[3];
} band;

typedef struct {
    band b[MAX_BANDS];
    int n;
    int end_row; /* first row below the last band */
    double cost;
} plan_t;

typedef struct {
    composer *c;
    plan_art **q; /* candidates for this page, in order */
    int nq;
    int col0, ncols, top, bottom; /* the region */
    plan_t cur, best;
    bool have_best;
    int waiting; /* articles waiting after this queue (for the leftover cost) */
} search;

/* The compositions of n columns into at most 3 parts (5: 5, 4+1, 1+4,
 * 3+2, 2+3, 3+1+1, ...). */
static int compositions(int n, int parts[][3], int *np) {
    int k = 0;
    parts[k][0] = n;
    np[k++] = 1;
    for (int a = 1; a < n; a++) {
        parts[k][0] = a;
        parts[k][1] = n - a;
        np[k++] = 2;
    }
    for (int a = 1; a < n; a++)
        for (int b = 1; a + b < n; b++) {
            parts[k][0] = a;
            parts[k][1] = b;
            parts[k][2] = n - a - b;
            np[k++] = 3;
        }
    return k;
}

static double hole_cost(const composer *c, int rows, int span) {
    const rt_compose_params *p = &c->l->compose;
    if (rows <= 0)
        return 0;
    if (rows <= p->hole_rows)
        return rows * span * p->cost.hole;
    return rows * span * p->cost.gap + p->cost.gap_each;
}

/* Cost of a finished plan (the bands in s->cur) plus what it leaves
 * (rows_left < 0: the bands alone, a lower bound for pruning). */
static double plan_cost(search *s, int qi, int rows_left) {
    composer *c = s->c;
    const rt_compose_params *p = &c->l->compose;
    double cost = 0;
    int prev_span[64];
    int n_prev = 0;
    for (int bi = 0; bi < s->cur.n; bi++) {
        const band *b = &s->cur.b[bi];
        int band_room = b->height - (b->top + b->height < s->bottom ? 1 : 0);
        for (int k = 0; k < b->n; k++) {
            const slot *sl = &b->s[k];
            for (int piece = 0; piece < (sl->art2 >= 0 ? 2 : 1); piece++) {
                plan_art *pa = s->q[piece ? sl->art2 : sl->art];
                int h = measure(c, pa, sl->span);
                int room = band_room;
                if (sl->art2 >= 0) /* the upper one at its height, the lower one the rest */
                    room = piece ? band_room - (measure(c, s->q[sl->art], sl->span) + 1) : h;
                if (h <= room) {
                    int hole = room - h, grow = image_slack(pa, sl->span);
                    if (grow > hole)
                        grow = hole;
                    cost +=
                        hole_cost(c, hole - grow, sl->span) + grow * sl->span * p->cost.image_slack;
                } else {
                    cost +=
                        p->cost.jump + ((piece ? sl->art2 : sl->art) > 0 ? p->cost.jump_later : 0);
                }
                int body = (h < room ? h : room) -
                           (h <= room ? pa->head[sl->span] : min_head(c, pa, sl->span));
                if (sl->span >= 3 && body < p->cost.shallow_rows)
                    cost += p->cost.shallow;
                if (sl->span == 1 && room > c->rows * p->cost.tall_share)
                    cost += p->cost.tall_column;
                for (int j = 0; j < n_prev; j++)
                    if (prev_span[j] < sl->span)
                        cost += p->cost.hierarchy;
                if (n_prev < 64)
                    prev_span[n_prev++] = sl->span;
            }
        }
    }
    for (int bi = 1; bi < s->cur.n; bi++) /* a page of stacked full-width strips */
        if (s->cur.b[bi].n == 1 && s->cur.b[bi - 1].n == 1)
            cost += p->cost.strips;
    if (rows_left > 0 && (qi < s->nq || s->waiting))
        cost += rows_left * s->ncols * p->cost.leftover;
    else if (rows_left > 0)
        cost += hole_cost(c, rows_left, s->ncols) * p->cost.end_share; /* the end of the edition */
    return cost;
}

static bool pin_ok(const search *s, const plan_art *pa, int span, int depth, bool last_band,
                   bool jumps) {
    if (span < cmp_flow_min_span(&pa->f, pa->next))
        return false; /* a table needs a wider block */
    const rt_entry *en = pa->en;
    if (!en)
        return true;
    if (en->span && !pa->started && span != en->span)
        return false;
    if (en->position == RT_POS_TOP && !pa->started && depth != 0)
        return false;
    if (en->position == RT_POS_BOTTOM && !pa->started && !last_band)
        return false;
    if (en->no_jump && jumps)
        return false;
    (void)s;
    return true;
}

static void keep_if_better(search *s, double cost, int end_row) {
    if (!s->have_best || cost < s->best.cost - 1e-9) {
        s->best = s->cur;
        s->best.cost = cost;
        s->best.end_row = end_row;
        s->have_best = true;
    }
}

static void consider(search *s, int qi, int top) {
    int rows_left = s->bottom - top;
    keep_if_better(s, plan_cost(s, qi, rows_left), top);
    if (rows_left > 0 && s->cur.n > 0) {
        /* or the last band goes down to the bottom: its blocks take the
         * rows left (taller images, or holes) */
        band *last = &s->cur.b[s->cur.n - 1];
        bool ok = true;
        for (int k = 0; k < last->n; k++) {
            const plan_art *pa = s->q[last->s[k].art];
            if (pa->en && pa->en->position == RT_POS_TOP && !pa->started && s->cur.n > 1)
                ok = false;
        }
        if (ok) {
            last->height += rows_left;
            keep_if_better(s, plan_cost(s, qi, 0), s->bottom);
            last->height -= rows_left;
        }
    }
}

static void search_bands(search *s, int qi, int top, int depth) {
    composer *c = s->c;
    int min_piece = c->l->compose.min_piece_rows;
    if (qi >= s->nq || depth >= MAX_BANDS || s->bottom - top < c->l->compose.min_piece_rows + 4) {
        consider(s, qi, top);
        return;
    }
    if (depth > 0) {
        consider(s, qi, top); /* stopping here is a plan too */
        if (s->have_best && plan_cost(s, qi, -1) >= s->best.cost)
            return; /* the bands so far already cost more than the best plan */
    }
    int parts[64][3], np[64];
    int n_comp = compositions(s->ncols, parts, np);
    for (int ci = 0; ci < n_comp; ci++) {
        int m = np[ci];
        if (depth >= 2 && m == 3)
            continue; /* three-way splits in the upper bands only */
        if (qi + m > s->nq)
            continue;
        /* the lead has the widest block of the front page */
        if (s->q[qi]->lead && !s->q[qi]->started && parts[ci][0] < s->ncols - (m > 1 ? 1 : 0))
            continue;
        /* a slot holds one article, or two stacked (side-by-side bands only) */
        for (int mask = 0; mask < (m > 1 ? 1 << m : 1); mask++) {
            int need = m;
            for (int k = 0; k < m; k++)
                need += (mask >> k) & 1;
            if (qi + need > s->nq)
                continue;
            int idx[3], idx2[3], h[3], h1[3];
            int at = qi;
            for (int k = 0; k < m; k++) {
                idx[k] = at++;
                idx2[k] = (mask >> k) & 1 ? at++ : -1;
                h1[k] = measure(c, s->q[idx[k]], parts[ci][k]) + 1; /* + the rule row */
                h[k] = h1[k] + (idx2[k] >= 0 ? measure(c, s->q[idx2[k]], parts[ci][k]) + 1 : 0);
            }
            /* band heights: each slot's own (the others get holes or jump),
             * or down to the region's bottom */
            int heights[4], nh = 0;
            for (int k = 0; k < m; k++) {
                bool dup = false;
                for (int j = 0; j < nh; j++)
                    dup |= heights[j] == h[k];
                if (!dup && top + h[k] <= s->bottom - (c->l->compose.min_piece_rows + 4))
                    heights[nh++] = h[k];
            }
            heights[nh++] = s->bottom - top;
            for (int hi = 0; hi < nh; hi++) {
                int H = heights[hi];
                bool last = top + H >= s->bottom;
                int room = H - (last ? 0 : 1);
                bool ok = true;
                for (int k = 0; k < m && ok; k++) {
                    int span = parts[ci][k];
                    plan_art *pa = s->q[idx[k]];
                    if (idx2[k] >= 0) {
                        /* the upper article must fit whole; the lower one
                         * gets the rest of the slot */
                        plan_art *pb = s->q[idx2[k]];
                        int room2 = room - h1[k];
                        bool jumps2 = h[k] - h1[k] - 1 > room2;
                        if (h1[k] - 1 > room || room2 < min_piece + 2 ||
                            (jumps2 && room2 - min_head(c, pb, span) < min_piece) ||
                            !pin_ok(s, pa, span, depth, false, false) ||
                            !pin_ok(s, pb, span, depth + 1, last, jumps2))
                            ok = false;
                    } else {
                        bool jumps = h1[k] - 1 > room;
                        if (jumps && room - min_head(c, pa, span) < min_piece)
                            ok = false; /* a stub of text before a jump */
                        if (!pin_ok(s, pa, span, depth, last, jumps))
                            ok = false;
                    }
                }
                if (!ok)
                    continue;
                band *b = &s->cur.b[s->cur.n++];
                b->top = top;
                b->height = H;
                b->n = m;
                int col = s->col0;
                for (int k = 0; k < m; k++) {
                    b->s[k] = (slot){idx[k], idx2[k], col, parts[ci][k]};
                    col += parts[ci][k];
                }
                search_bands(s, qi + need, top + H, depth + 1);
                s->cur.n--;
            }
        }
    }
}

/* ------------------------------------------------------------- drawing */

static void draw_jump_line(composer *c, rt_page *pg, int col, int row, const char *fmt, int page,
                           int lang) {
    const rt_style *st = &c->l->styles[RT_ST_BYLINE];
    char *s = rt_xasprintf(fmt, page);
    cmp_draw_string(c, pg, s, st, lang, cmp_col_x(c, pg, col), c->col_w, cmp_row_baseline(c, row),
                    RT_ALIGN_RIGHT);
    free(s);
}

static void push_segment(composer *c, rt_article_place *ap, const rt_page *pg, int top, int bottom,
                         int col0, int span, int jump_to) {
    rt_segment sg = {.page = pg->number,
                     .top = top,
                     .bottom = bottom,
                     .columns = span,
                     .jump_to = jump_to,
                     .x = cmp_col_x(c, pg, col0),
                     .y = cmp_row_top(c, top),
                     .w = cmp_span_w(c, span),
                     .h = (bottom - top) * c->B,
                     .col0 = col0};
    RT_PUSH(ap->segments, ap->n_segments, ap->cap_segments, sg);
}

/* Places a piece of the article in the block [col0, col0+span) x [top,
 * bottom): the header or continuation head, images, then as much text as
 * fits, balanced; what does not fit jumps (its jump line is drawn when the
 * continuation is placed). Returns the rows the block uses. */
static int set_block(composer *c, rt_page *pg, plan_art *pa, int col0, int span, int top,
                     int bottom, int extra, bool may_jump) {
    const rt_layout *l = c->l;
    const rt_article *a = pa->a;
    rt_article_place *ap = pa->ap;
    if (pa->jump_page) { /* the previous piece's "Suite en page N" */
        draw_jump_line(c, &c->out->pages[pa->jump_page - 1], pa->jump_col, pa->jump_row,
                       l->words[a->lang].continued_on, pg->number, a->lang);
        rt_segment *prev = &ap->segments[ap->n_segments - 1];
        prev->jump_to = pg->number;
        pa->jump_page = 0;
    }
    if (!pa->started) {
        ap->first_page = pg->number;
        if (!pg->section && a->section && pg->number > 1)
            pg->section = rt_xstrdup(a->section);
    }
    rt_col cols[MAX_COLS];
    /* a first piece that will jump crops its image to leave room for text */
    int img_max = 0;
    if (!pa->started && pa->img[span] && measure(c, pa, span) > bottom - top) {
        img_max = bottom - top - pa->hdr[span] - l->compose.min_piece_rows;
        if (img_max < l->compose.min_image_rows)
            img_max = l->compose.min_image_rows;
    }
    cmp_block_head bh;
    measure_head(c, pa, span, top, extra, img_max, &bh);
    cmp_draw_block_head(c, pg, a, &bh, top, col0);
    for (int i = 0; i < span; i++)
        cols[i] = (rt_col){top + bh.col_top[i], bottom};
    cmp_block_head_free(&bh);
    pa->started = true;
    cmp_flow_for_span(c, &pa->f, span); /* tables across the block */
    int col_map[MAX_COLS];
    for (int i = 0; i < span; i++)
        col_map[i] = col0 + i;
    rt_fill_opts fo = {l->compose.min_lines};
    rt_flow_pos *pos = rt_xcalloc(pa->f.n + 1, sizeof *pos);
    int used;
    int b = rt_fill_balanced(pa->f.els, pa->f.n, pa->next, cols, (size_t)span, &fo, pos);
    if (b >= 0) {
        cmp_draw_flow(c, pg, &pa->f, pos, pa->next, pa->f.n, col_map);
        int head_bottom = cols[0].top;
        for (int i = 1; i < span; i++)
            if (cols[i].top > head_bottom)
                head_bottom = cols[i].top;
        used = (b > head_bottom ? b : head_bottom) - top;
        push_segment(c, ap, pg, top, top + used, col0, span, 0);
        pa->next = pa->f.n;
        pa->done = true;
    } else {
        /* keep the last row of the last column for the jump line */
        cols[span - 1].bottom = bottom - 1;
        size_t stop = rt_fill(pa->f.els, pa->f.n, pa->next, cols, (size_t)span, &fo, pos, NULL);
        /* a word hyphenated across a jump is unreadable */
        for (int tries = 0; tries < 4 && stop > pa->next && stop < pa->f.n; tries++) {
            const flow_item *last = &pa->f.items[stop - 1];
            if (last->kind != FI_LINE || !pa->f.paras[last->para].lines.lines[last->line].hyphen)
                break;
            cols[span - 1].bottom--;
            stop = rt_fill(pa->f.els, pa->f.n, pa->next, cols, (size_t)span, &fo, pos, NULL);
        }
        cmp_draw_flow(c, pg, &pa->f, pos, pa->next, stop, col_map);
        used = bottom - top;
        push_segment(c, ap, pg, top, bottom, col0, span, 0);
        if (may_jump && stop < pa->f.n) {
            pa->jump_page = pg->number;
            pa->jump_col = col0 + span - 1;
            pa->jump_row = bottom - 1;
        }
        pa->next = stop;
        pa->done = stop >= pa->f.n;
    }
    pa->prev_page = pg->number;
    ap->last_page = pg->number;
    art_changed(pa);
    free(pos);
    return used;
}

/* Realizes a plan: blocks, rules between them, house boxes in holes. */
static void draw_plan(composer *c, rt_page *pg, search *s, const plan_t *p) {
    const rt_layout *l = c->l;
    for (int bi = 0; bi < p->n; bi++) {
        const band *b = &p->b[bi];
        bool last = b->top + b->height >= s->bottom;
        int room = b->height - (last ? 0 : 1);
        for (int k = 0; k < b->n; k++) {
            const slot *sl = &b->s[k];
            int top = b->top;
            for (int piece = 0; piece < (sl->art2 >= 0 ? 2 : 1); piece++) {
                plan_art *pa = s->q[piece ? sl->art2 : sl->art];
                int h = measure(c, pa, sl->span);
                int bottom = sl->art2 >= 0 && !piece ? top + h : b->top + room;
                int extra = h < bottom - top ? bottom - top - h : 0;
                if (extra > image_slack(pa, sl->span))
                    extra = image_slack(pa, sl->span);
                /* pinned to the bottom: the block sits on the page's foot */
                int down = 0;
                if (pa->en->position == RT_POS_BOTTOM && !pa->started && bottom >= s->bottom &&
                    h + extra < bottom - top)
                    down = bottom - top - h - extra;
                if (down > l->compose.hole_rows)
                    cmp_house_box(c, pg, sl->col0, sl->span, top, top + down - 1);
                int used =
                    set_block(c, pg, pa, sl->col0, sl->span, top + down, bottom, extra, true) +
                    down;
                if (bottom - top - used > l->compose.hole_rows)
                    cmp_house_box(c, pg, sl->col0, sl->span, top + used, bottom);
                if (sl->art2 >= 0 && !piece) { /* a rule between the stacked two */
                    double x0 = cmp_col_x(c, pg, sl->col0);
                    double x1 = cmp_col_x(c, pg, sl->col0 + sl->span - 1) + c->col_w;
                    double y = cmp_row_top(c, bottom) + c->B * 0.45;
                    cmp_rule(pg, x0, y, x1, y, l->rule_width, l->rule_color);
                    top = bottom + 1;
                }
            }
            if (k > 0) { /* a rule in the gutter between two blocks */
                double x = cmp_col_x(c, pg, sl->col0) - l->gutter / 2;
                cmp_rule(pg, x, cmp_row_top(c, b->top) + c->B * 0.2, x,
                         cmp_row_top(c, b->top + room) - c->B * 0.2, l->rule_width, l->rule_color);
            }
        }
        if (!last) { /* a rule under the band */
            double x0 = cmp_col_x(c, pg, s->col0);
            double x1 = cmp_col_x(c, pg, s->col0 + s->ncols - 1) + c->col_w;
            double y = cmp_row_top(c, b->top + room) + c->B * 0.45;
            cmp_rule(pg, x0, y, x1, y, l->rule_width, l->rule_color);
        }
    }
}

/* ----------------------------------------------------------- the planner */

struct planner {
    composer *c;
    plan_art *arts; /* one per edition entry */
    size_t n;
    plan_art **order; /* placement order: lead, then by section, edition order */
    size_t n_order;
};

planner *cmp_planner_new(composer *c, rt_doc *const *docs) {
    const rt_edition *e = c->e;
    planner *P = rt_xcalloc(1, sizeof *P);
    P->c = c;
    P->n = e->n_entries;
    P->arts = rt_xcalloc(P->n + 1, sizeof *P->arts);
    P->order = rt_xcalloc(P->n + 1, sizeof *P->order);
    int lead = e->lead >= 0 && (size_t)e->lead < e->n_entries ? e->lead : 0;
    for (size_t i = 0; i < P->n; i++) {
        plan_art *pa = &P->arts[i];
        pa->idx = i;
        pa->a = e->entries[i].article;
        pa->en = &e->entries[i];
        pa->ap = &c->out->articles[i];
        pa->ap->article = pa->a;
        pa->lead = (int)i == lead;
        cmp_build_flow(c, pa->a, docs[i], c->col_w, &pa->f);
        int need = cmp_flow_min_span(&pa->f, 0);
        if (pa->en->span && pa->en->span < need)
            rt_error(c->d, e->path, pa->en->mark.line, pa->en->mark.col,
                     "'%s' is pinned to %d column%s, but a table in it needs %d", pa->a->path,
                     pa->en->span, pa->en->span == 1 ? "" : "s", need);
    }
    /* the lead first; then sections in order of first appearance, articles
     * in edition order within each */
    if (P->n)
        P->order[P->n_order++] = &P->arts[lead];
    for (size_t i = 0; i < P->n; i++) {
        if ((int)i == lead)
            continue;
        const char *sec = P->arts[i].a->section;
        bool seen = false;
        for (size_t k = 0; k < P->n_order && !seen; k++) {
            const char *s2 = P->order[k]->a->section;
            seen = !P->order[k]->lead && ((sec && s2 && strcmp(sec, s2) == 0) || (!sec && !s2));
        }
        if (seen)
            continue;
        for (size_t k = i; k < P->n; k++) {
            if ((int)k == lead)
                continue;
            const char *s2 = P->arts[k].a->section;
            if ((sec && s2 && strcmp(sec, s2) == 0) || (!sec && !s2))
                P->order[P->n_order++] = &P->arts[k];
        }
    }
    return P;
}

void cmp_planner_free(planner *P) {
    if (!P)
        return;
    for (size_t i = 0; i < P->n; i++) {
        plan_art *pa = &P->arts[i];
        for (size_t k = 0; k < pa->f.n_paras; k++) {
            pa->ap->lines += (int)pa->f.paras[k].lines.n;
            for (size_t j = 0; j < pa->f.paras[k].lines.n; j++)
                pa->ap->overfull += pa->f.paras[k].lines.lines[j].overfull;
            cmp_stats_para(&pa->ap->stats, &pa->f.paras[k]);
        }
        /* a column break after a paragraph's first line leaves an orphan,
         * one before its last line a widow */
        for (size_t k = 1; k < pa->f.n; k++) {
            const rt_flow_el *el = &pa->f.els[k];
            if (pa->f.items[k].kind != FI_LINE || el->line == 0 ||
                pa->f.where[k] == pa->f.where[k - 1])
                continue;
            if (el->line == 1)
                pa->ap->stats.orphans++;
            if (el->line == el->para_lines - 1)
                pa->ap->stats.widows++;
        }
        cmp_flow_free(&pa->f);
    }
    free(P->arts);
    free(P->order);
    free(P);
}

bool cmp_planner_done(const planner *P) {
    for (size_t i = 0; i < P->n_order; i++)
        if (!P->order[i]->done)
            return false;
    return true;
}

/* Fills the region [col0, col0+ncols) x [top, bottom) of pg with the best
 * plan for the waiting articles. Returns the first row left empty below
 * the plan (bottom if it reaches it). */
int cmp_planner_fill(planner *P, rt_page *pg, int col0, int ncols, int top, int bottom) {
    composer *c = P->c;
    search *s = rt_xcalloc(1, sizeof *s);
    s->c = c;
    s->col0 = col0;
    s->ncols = ncols;
    s->top = top;
    s->bottom = bottom;
    plan_art *q[64];
    int nq = 0;
    /* continuations first (they jumped from an earlier page), then the
     * articles pinned to this page, then the rest in order; an article
     * pinned to a later page waits for it */
    for (size_t i = 0; i < P->n_order && nq < 64; i++) {
        plan_art *pa = P->order[i];
        if (!pa->done && pa->started && pa->prev_page < pg->number)
            q[nq++] = pa;
    }
    for (size_t i = 0; i < P->n_order && nq < 64; i++) {
        plan_art *pa = P->order[i];
        if (!pa->done && !pa->started && pa->en->page == pg->number)
            q[nq++] = pa;
    }
    for (size_t i = 0; i < P->n_order; i++) {
        plan_art *pa = P->order[i];
        if (pa->done || pa->started || (pa->en->page && pa->en->page != pg->number))
            continue;
        if (nq < 8)
            q[nq++] = pa; /* enough for three bands of up to three blocks... */
        else
            s->waiting++;
    }
    /* a page opens with a new article rather than with a continuation */
    if (nq > 1 && q[0]->started) {
        for (int i = 1; i < nq; i++)
            if (!q[i]->started) {
                plan_art *t = q[i];
                memmove(q + 1, q, (size_t)i * sizeof *q);
                q[0] = t;
                break;
            }
    }
    s->q = q;
    s->nq = nq;
    int end = top;
    if (nq) {
        search_bands(s, 0, top, 0);
        if (c->ctx->plan_debug) {
            FILE *dbg = c->ctx->plan_debug;
            fprintf(dbg, "page %d: %d candidates, best cost %.1f, %d bands:", pg->number, nq,
                    s->best.cost, s->best.n);
            for (int bi = 0; bi < s->best.n; bi++) {
                fprintf(dbg, " [h%d", s->best.b[bi].height);
                for (int k = 0; k < s->best.b[bi].n; k++) {
                    const slot *sl = &s->best.b[bi].s[k];
                    fprintf(dbg, " a%zu:%d(nat %d)", q[sl->art]->idx, sl->span,
                            measure(c, q[sl->art], sl->span));
                    if (sl->art2 >= 0)
                        fprintf(dbg, "/a%zu(nat %d)", q[sl->art2]->idx,
                                measure(c, q[sl->art2], sl->span));
                }
                fputc(']', dbg);
            }
            fputc('\n', dbg);
        }
        if (s->have_best && s->best.n) {
            draw_plan(c, pg, s, &s->best);
            end = s->best.end_row;
        }
    }
    free(s);
    return end;
}

/* Articles pinned to a page that has passed, and what never got placed. */
void cmp_planner_report(planner *P, int last_page, bool allow_overset) {
    composer *c = P->c;
    for (size_t i = 0; i < P->n_order; i++) {
        plan_art *pa = P->order[i];
        if (pa->done)
            continue;
        /* lines and words not placed */
        int lines = 0;
        size_t words = 0;
        for (size_t k = pa->next; k < pa->f.n; k++)
            if (pa->f.items[k].kind == FI_LINE) {
                lines++;
                const tpara *tp = &pa->f.paras[pa->f.items[k].para];
                const rt_line *ln = &tp->lines.lines[pa->f.items[k].line];
                for (size_t j = ln->start; j < ln->end; j++)
                    words += tp->para->items[j].kind == RT_ITEM_GLUE;
                words++;
            }
        const rt_entry *en = pa->en;
        int widest = en->span ? en->span : c->l->columns;
        if (!pa->started && en->no_jump && measure(c, pa, widest) > c->rows - 2)
            rt_error(c->d, c->e->path, en->mark.line, en->mark.col,
                     "'%s' cannot be placed without a jump (no_jump): it needs %d rows in %d "
                     "columns, a page has %d",
                     pa->a->path, measure(c, pa, widest), widest, c->rows - 2);
        else if (en->page && en->page > last_page && !pa->started)
            rt_error(c->d, c->e->path, en->mark.line, en->mark.col,
                     "'%s' is pinned to page %d, but the edition has %d page%s before the "
                     "supporter messages",
                     pa->a->path, en->page, last_page, last_page == 1 ? "" : "s");
        else
            rt_diag_report(c->d, allow_overset ? RT_WARNING : RT_ERROR, pa->a->path, 0, 0,
                           "overset: %d line%s (about %zu words) %s; cut them, or give the "
                           "edition more pages%s",
                           lines, lines == 1 ? "" : "s", words,
                           pa->started ? "did not fit after the last jump" : "found no page",
                           allow_overset ? "" : " (--allow-overset builds anyway)");
        /* a jump line with nowhere to go is not drawn */
        pa->jump_page = 0;
        c->out->overset_lines += lines;
    }
}
