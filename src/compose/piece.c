/* compose: articles as the planner sees them, and their pieces (piece.h). */
#include "piece.h"

#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIG_ROWS 100000
#define SOFT_SHARE 0.75 /* a photo grows while it keeps this share of the min_ppi */

/* ------------------------------------------------------------ the part */

static int count_words(const rt_doc *doc) {
    int words = 0;
    for (size_t i = 0; doc && i < doc->n_blocks; i++)
        for (size_t k = 0; k < doc->blocks[i].n_spans; k++) {
            bool in = false;
            for (const char *s = doc->blocks[i].spans[k].text; *s; s++) {
                bool sp = *s == ' ' || *s == '\n' || *s == '\t';
                if (!sp && !in)
                    words++;
                in = !sp;
            }
        }
    return words;
}

void cmp_part_init(composer *c, part *pt, size_t idx, const rt_doc *doc, bool first_in_section) {
    const rt_edition *e = c->e;
    const rt_compose_params *cp = &c->l->compose;
    memset(pt, 0, sizeof *pt);
    pt->idx = idx;
    pt->a = e->entries[idx].article;
    pt->en = &e->entries[idx];
    pt->ap = &c->out->articles[idx];
    pt->ap->article = pt->a;
    pt->front_lead = e->lead >= 0 ? (size_t)e->lead == idx : idx == 0;
    pt->words = count_words(doc);

    cmp_build_flow(c, pt->a, doc, c->col_w, &pt->f);
    /* the role: the edition's, else from the length and the image */
    bool image = pt->a->n_images > 0;
    rt_role role = pt->en->role;
    if (role == RT_ROLE_AUTO && pt->en->weight > 0)
        role = (rt_role)(int)lround(pt->en->weight);
    if (role == RT_ROLE_AUTO) {
        if (pt->words < cp->brief_words && !image)
            role = RT_ROLE_BRIEF;
        else if (pt->words >= cp->main_words || (image && pt->words >= cp->main_words * 2 / 3))
            role = RT_ROLE_MAIN;
        else
            role = RT_ROLE_SECONDARY;
    }
    if (pt->front_lead)
        role = RT_ROLE_LEAD;
    pt->role = role;
    pt->ap->role = role;
    if (pt->en->weight > 0) {
        pt->weight = pt->en->weight;
    } else {
        double w = (double)role + (image ? 0.4 : 0) + (first_in_section ? 0.3 : 0);
        w += pt->words / 2000.0 < 0.5 ? pt->words / 2000.0 : 0.5;
        pt->weight = w;
    }
    pt->headline = cp->role_headline[role];
    /* what it measures: its lines and its heights at two widths */
    unsigned long shape = (unsigned long)pt->f.n * 2654435761u;
    for (int span = 2; span <= 3 && span <= c->l->columns; span++)
        shape = shape * 31 + (unsigned long)cmp_part_natural(c, pt, 0, span);
    pt->ap->shape = shape;
    const rt_plan_memory *m = c->ctx->previous;
    for (size_t i = 0; m && i < m->n; i++)
        if (strcmp(m->paths[i], pt->a->path) == 0 && m->shapes[i] == shape)
            pt->was_on = m->pages[i]; /* measured the same: keep it where it was */
}

void cmp_part_free(part *pt) {
    rt_article_place *ap = pt->ap;
    for (size_t k = 0; k < pt->f.n_paras; k++) {
        ap->lines += (int)pt->f.paras[k].lines.n;
        for (size_t j = 0; j < pt->f.paras[k].lines.n; j++)
            ap->overfull += pt->f.paras[k].lines.lines[j].overfull;
        cmp_stats_para(&ap->stats, &pt->f.paras[k]);
    }
    /* a column break after a paragraph's first line leaves an orphan, one
     * before its last line a widow */
    for (size_t k = 1; k < pt->f.n; k++) {
        const rt_flow_el *el = &pt->f.els[k];
        if (pt->f.items[k].kind != FI_LINE || el->line == 0 || pt->f.where[k] == pt->f.where[k - 1])
            continue;
        if (el->line == 1)
            ap->stats.orphans++;
        if (el->line == el->para_lines - 1)
            ap->stats.widows++;
    }
    cmp_flow_free(&pt->f);
    free(pt->fits);
    pt->fits = NULL;
}

/* ------------------------------------------------------------ measuring */

static void measure_head(composer *c, const part *pt, size_t from, int span, int extra, int img_max,
                         cmp_block_head *bh) {
    cmp_head_opts o = {.span = span,
                       .lead = pt->front_lead,
                       .headline = pt->headline,
                       .continued = from > 0 ? (pt->prev_page ? pt->prev_page : 1) : 0,
                       .extra_rows = extra,
                       .img_max = img_max,
                       .page_rows = c->rows};
    cmp_measure_block_head(c, pt->a, &o, bh);
}

/* The rows where the text starts in each column under the head of a piece
 * from `from` (measure_head with no extra rows), remembered. */
static const int *head_tops(composer *c, part *pt, size_t from, int span, int img_max) {
    int continued = from > 0 ? (pt->prev_page ? pt->prev_page : 1) : 0;
    for (int i = 0; i < CMP_HEAD_CACHE; i++) {
        const struct head_memo *m = &pt->heads[i];
        if (m->span == span && m->continued == continued && m->img_max == img_max)
            return m->col_top;
    }
    cmp_block_head bh;
    measure_head(c, pt, from, span, 0, img_max, &bh);
    struct head_memo *m = &pt->heads[pt->heads_next++ % CMP_HEAD_CACHE];
    *m = (struct head_memo){.span = span, .continued = continued, .img_max = img_max};
    memcpy(m->col_top, bh.col_top, sizeof m->col_top);
    cmp_block_head_free(&bh);
    return m->col_top;
}

static int deepest(const int *tops, int span) {
    int t = tops[0];
    for (int i = 1; i < span; i++)
        if (tops[i] > t)
            t = tops[i];
    return t;
}

/* Rows a figure's picture may grow by (it covers its box, cropped) before
 * it prints under 3/4 of the layout's min_ppi (150 ppi of 200), or, when
 * it is under that already, softer than it does: grown to fill its block,
 * a photo may print soft (the build warns under min_ppi), never blurred. */
static int rows_to_ppi(const composer *c, const cmp_figure *fig, double share) {
    const rt_image *im = fig->im;
    if (c->l->min_ppi <= 0 || im->width_px <= 0 || im->height_px <= 0)
        return BIG_ROWS;
    double soft = share * c->l->min_ppi;
    double floor_ppi = fig->ppi < soft ? fig->ppi : soft;
    double h_max = 72.0 * im->height_px / floor_ppi; /* the picture's height at that ppi */
    int rows = (int)floor((h_max - fig->h) / c->B + 1e-9);
    return rows > 0 ? rows : 0;
}

static int sharp_rows(const composer *c, const cmp_figure *fig) {
    return rows_to_ppi(c, fig, SOFT_SHARE);
}

/* Natural rows of the piece from `from` to the end, and its head rows. */
static void measure(composer *c, part *pt, size_t from, int span, int *nat, int *head) {
    if (from == 0 && pt->nat[span]) {
        *nat = pt->nat[span];
        *head = pt->head[span];
        return;
    }
    size_t set = (from * 31 + (size_t)span) % (CMP_CONT_CACHE / CMP_CONT_WAYS);
    for (size_t i = set * CMP_CONT_WAYS; from > 0 && i < (set + 1) * CMP_CONT_WAYS; i++)
        if (pt->cont[i].from == from && pt->cont[i].span == span) {
            *nat = pt->cont[i].nat;
            *head = pt->cont[i].head;
            return;
        }
    cmp_block_head bh;
    const int *tops;
    if (from == 0) { /* measured once a span (the header and figure rows kept below) */
        measure_head(c, pt, from, span, 0, 0, &bh);
        tops = bh.col_top;
    } else {
        tops = head_tops(c, pt, from, span, 0);
    }
    rt_col cols[CMP_MAX_COLS];
    for (int i = 0; i < span; i++)
        cols[i] = (rt_col){tops[i], BIG_ROWS};
    cmp_flow_for_span(c, &pt->f, span); /* tables across the block */
    rt_fill_opts fo = {c->l->compose.min_lines};
    rt_flow_pos *pos = rt_xcalloc(pt->f.n + 1, sizeof *pos);
    int b = rt_fill_balanced(pt->f.els, pt->f.n, from, cols, (size_t)span, &fo, pos);
    free(pos);
    int top = deepest(tops, span);
    if (b < top)
        b = top;
    *nat = b < 0 ? BIG_ROWS : b;
    *head = tops[0];
    if (from == 0) {
        pt->nat[span] = *nat;
        pt->head[span] = *head;
        pt->hdr[span] = bh.head.rows;
        pt->img[span] = pt->a->n_images && bh.n_figs ? bh.figs[0].rows : 0;
        pt->sharp[span] = pt->img[span] ? sharp_rows(c, &bh.figs[0]) : 0;
    } else {
        size_t k = set * CMP_CONT_WAYS + pt->cont_next[set]++ % CMP_CONT_WAYS;
        pt->cont[k].from = from;
        pt->cont[k].span = span;
        pt->cont[k].nat = *nat;
        pt->cont[k].head = *head;
    }
    if (from == 0)
        cmp_block_head_free(&bh);
}

int cmp_part_natural(composer *c, part *pt, size_t from, int span) {
    int nat, head;
    measure(c, pt, from, span, &nat, &head);
    return nat;
}

int cmp_part_head(composer *c, part *pt, size_t from, int span) {
    int nat, head;
    measure(c, pt, from, span, &nat, &head);
    return head;
}

int cmp_part_slack(composer *c, part *pt, size_t from, int span) {
    if (from > 0)
        return 0;
    cmp_part_natural(c, pt, 0, span);
    int grow = c->roomy_photos ? pt->img[span] : pt->img[span] / 2;
    return grow < pt->sharp[span] ? grow : pt->sharp[span];
}

/* Rows a whole first piece at `span` takes with its first image `extra`
 * rows taller: the text under the image pushed down and balanced again. */
static int grown_rows(composer *c, part *pt, int span, int extra) {
    cmp_block_head bh;
    measure_head(c, pt, 0, span, extra, 0, &bh);
    rt_col cols[CMP_MAX_COLS];
    for (int i = 0; i < span; i++)
        cols[i] = (rt_col){bh.col_top[i], BIG_ROWS};
    cmp_flow_for_span(c, &pt->f, span);
    rt_fill_opts fo = {c->l->compose.min_lines};
    rt_flow_pos *pos = rt_xcalloc(pt->f.n + 1, sizeof *pos);
    int b = rt_fill_balanced(pt->f.els, pt->f.n, 0, cols, (size_t)span, &fo, pos);
    free(pos);
    int top = deepest(bh.col_top, span);
    cmp_block_head_free(&bh);
    return b < 0 ? BIG_ROWS : b > top ? b : top;
}

/* The growth a planned piece's first image is drawn with. The planner
 * counts a photo grown by `extra` rows as filling `extra` rows more of its
 * block; so it does when the text is all under it (when the text is all
 * beside it, the rows it adds beside the photo are empty: left as planned).
 * When the text is under and beside it, the text under it moves down and
 * part of it goes up beside it again: the text ends above where the plan
 * has it end, and the image grows further, as far as the text still ends there
 * (at most 3/4 of its height more in all, all of it when the planner
 * spreads stories with room to spare; never under 3/4 of the layout's
 * min_ppi, as the planner's own growth, nor softer where it is already). */
static int filling_growth(composer *c, part *pt, const piece *p) {
    int span = p->span, e0 = p->extra;
    int target = cmp_part_natural(c, pt, 0, span) + e0;
    cmp_block_head bh;
    measure_head(c, pt, 0, span, e0, 0, &bh);
    int ppi_rows = bh.n_figs ? rows_to_ppi(c, &bh.figs[0], SOFT_SHARE) : 0;
    cmp_block_head_free(&bh);
    int img = pt->img[span], cap = c->roomy_photos ? img : img * 3 / 4;
    if (cap > e0 + ppi_rows)
        cap = e0 + ppi_rows;
    if (cap <= e0 || grown_rows(c, pt, span, e0 + 1) > target)
        return e0;                 /* (beside its text alone, it would only add empty rows) */
    int lo = e0 + 1, hi = cap + 1; /* lo ends by the target; hi does not, or is past the cap */
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (grown_rows(c, pt, span, mid) <= target)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Rows the piece's shortest column ends above the block's foot, the head
 * and images included (element rows from the block's top). */
static int shortest_column(const part *pt, const piece *p, const int *col_top,
                           const rt_flow_pos *pos, size_t stop) {
    int end[CMP_MAX_COLS];
    memcpy(end, col_top, (size_t)p->span * sizeof *end);
    for (size_t i = p->from; i < stop; i++) {
        if (pos[i].col < 0)
            continue;
        int b = pos[i].row + pt->f.els[i].rows;
        for (int k = pt->f.els[i].span_all ? 0 : pos[i].col;
             k < (pt->f.els[i].span_all ? p->span : pos[i].col + 1); k++)
            if (b > end[k])
                end[k] = b;
    }
    int worst = 0;
    for (int k = 0; k < p->span; k++)
        if (p->rows - end[k] > worst)
            worst = p->rows - end[k];
    return worst;
}

/* The text of a piece laid out in its block (rows from its top): column
 * tops below the head, the fill, and where it stops. Shared by fitting and
 * placing, so that both give the same. Returns the element after the last
 * placed; *bottom is the row the text ends on when it is all placed. */
static size_t lay_text(composer *c, part *pt, const piece *p, const int *col_top, rt_flow_pos *pos,
                       int *bottom) {
    rt_col cols[CMP_MAX_COLS];
    for (int i = 0; i < p->span; i++)
        cols[i] = (rt_col){col_top[i], p->rows};
    cmp_flow_for_span(c, &pt->f, p->span); /* tables across the block */
    rt_fill_opts fo = {c->l->compose.min_lines};
    if (!p->jumps) {
        int b = rt_fill_balanced(pt->f.els, pt->f.n, p->from, cols, (size_t)p->span, &fo, pos);
        if (b >= 0) {
            int t = deepest(col_top, p->span);
            *bottom = b > t ? b : t;
            return pt->f.n;
        }
        *bottom = p->rows;
        return rt_fill(pt->f.els, pt->f.n, p->from, cols, (size_t)p->span, &fo, pos, NULL);
    }
    /* keep the last row of the last column for the jump line */
    cols[p->span - 1].bottom = p->rows - 1;
    size_t stop = rt_fill(pt->f.els, pt->f.n, p->from, cols, (size_t)p->span, &fo, pos, NULL);
    /* a word hyphenated across a jump is unreadable */
    for (int tries = 0; tries < 4 && stop > p->from && stop < pt->f.n; tries++) {
        const flow_item *last = &pt->f.items[stop - 1];
        if (last->kind != FI_LINE || !pt->f.paras[last->para].lines.lines[last->line].hyphen)
            break;
        cols[p->span - 1].bottom--;
        stop = rt_fill(pt->f.els, pt->f.n, p->from, cols, (size_t)p->span, &fo, pos, NULL);
    }
    *bottom = p->rows;
    return stop;
}

static bool fit_cut(composer *c, part *pt, size_t from, int span, int rows, piece *p, int *rest);

/* The fit memo's entry for (from, span, rows, cont), cont -1 for a whole
 * first piece with its photo cropped; *hit when it holds that fit. */
static struct fit_memo *fit_memo_at(part *pt, size_t from, int span, int rows, int cont,
                                    bool *hit) {
    size_t h = (from * 2654435761u + (size_t)span * 40503u + (size_t)rows * 97u + (size_t)cont) &
               (CMP_FIT_CACHE - 1);
    if (!pt->fits)
        pt->fits = rt_xcalloc(CMP_FIT_CACHE, sizeof *pt->fits);
    struct fit_memo *m = &pt->fits[h];
    *hit = m->used && m->from == from && m->span == span && m->rows == rows && m->cont == cont;
    return m;
}

/* A first piece a few rows taller than its block, whole all the same: its
 * first photo cropped by the rows it is over, at most a quarter of its
 * figure's rows and never under the layout's min_image_rows, the text then
 * filling the block (a crop that narrows a tall photo, and leaves a gap
 * under the text, is not one), rather than a jump (or no place at all) for
 * the last lines. Only the front page's lead is set so: it must open
 * the front, and a lead a few rows too tall with too little left to jump
 * fitted there in no shape. (Offered to every story, the crop moved photos
 * down the sample's pages and lowered as many generated editions' figures
 * as it raised.) */
static bool fit_cropped(composer *c, part *pt, int span, int rows, int nat, piece *p) {
    int img = pt->img[span], lo = img - img / 4;
    if (lo < c->l->compose.min_image_rows)
        lo = c->l->compose.min_image_rows;
    if (nat - rows > img - lo) /* a row less of photo saves a row at most */
        return false;
    bool hit;
    struct fit_memo *m = fit_memo_at(pt, 0, span, rows, -1, &hit);
    if (!hit) {
        *m = (struct fit_memo){.used = true, .span = span, .rows = rows, .cont = -1};
        rt_col cols[CMP_MAX_COLS];
        rt_fill_opts fo = {c->l->compose.min_lines};
        rt_flow_pos *pos = rt_xcalloc(pt->f.n + 1, sizeof *pos);
        cmp_flow_for_span(c, &pt->f, span);
        for (int img_max = img - (nat - rows); img_max >= lo && !m->ok; img_max--) {
            const int *tops = head_tops(c, pt, 0, span, img_max);
            int top = deepest(tops, span);
            if (top >= rows)
                break;
            for (int i = 0; i < span; i++)
                cols[i] = (rt_col){tops[i], rows};
            int b = rt_fill_balanced(pt->f.els, pt->f.n, 0, cols, (size_t)span, &fo, pos);
            if (b >= 0 && rows - (b > top ? b : top) > c->l->compose.hole_rows)
                break; /* the photo changed shape (fewer columns): not this crop */
            if (b >= 0) {
                m->ok = true;
                m->img_max = img_max;
                m->text_rows = (b > top ? b : top) - tops[0];
                m->hole = rows - (b > top ? b : top);
            }
        }
        free(pos);
    }
    if (!m->ok)
        return false;
    p->img_max = m->img_max;
    p->text_rows = m->text_rows;
    p->hole = m->hole;
    p->to = pt->f.n;
    return true;
}

bool cmp_part_fit(composer *c, part *pt, size_t from, int span, int rows, cmp_jump may_jump,
                  piece *p) {
    memset(p, 0, sizeof *p);
    if (span < cmp_flow_min_span(&pt->f, from))
        return false; /* a table needs a wider block */
    p->span = span;
    p->rows = rows;
    p->from = from;
    int nat = cmp_part_natural(c, pt, from, span);
    int head = cmp_part_head(c, pt, from, span);
    if (nat <= rows) { /* whole: the image grows, then a hole */
        int room = rows - nat, grow = cmp_part_slack(c, pt, from, span);
        p->extra = grow < room ? grow : room;
        p->hole = room - p->extra;
        p->to = pt->f.n;
        p->text_rows = nat - head;
        return true;
    }
    if (from == 0 && pt->img[span] && pt->front_lead && fit_cropped(c, pt, span, rows, nat, p))
        return true;
    if (may_jump == CMP_NO_JUMP || (pt->en && pt->en->no_jump))
        return false;
    /* a cut depends only on where it starts, its block and the page it
     * continues from: remembered, since the planner tries it again and again */
    int cont = from > 0 ? (pt->prev_page ? pt->prev_page : 1) : 0;
    bool hit;
    struct fit_memo *m = fit_memo_at(pt, from, span, rows, cont, &hit);
    /* what continues is worth a jump: twice the rows a piece must show */
    int min_rest = may_jump == CMP_JUMP_SHORT ? 1 : 2 * c->l->compose.min_piece_rows;
    if (hit) {
        p->jumps = true;
        p->to = m->to;
        p->img_max = m->img_max;
        p->text_rows = m->text_rows;
        return m->ok && m->rest >= min_rest;
    }
    int rest = 0;
    bool ok = fit_cut(c, pt, from, span, rows, p, &rest);
    *m = (struct fit_memo){.used = true,
                           .ok = ok,
                           .from = from,
                           .span = span,
                           .rows = rows,
                           .cont = cont,
                           .to = p->to,
                           .img_max = p->img_max,
                           .text_rows = p->text_rows,
                           .rest = rest};
    return ok && rest >= min_rest;
}

/* The cut of cmp_part_fit, measured; *rest: the lines it leaves. */
static bool fit_cut(composer *c, part *pt, size_t from, int span, int rows, piece *p, int *rest) {
    const rt_compose_params *cp = &c->l->compose;
    /* cut: a first piece crops its image to leave room for text */
    if (from == 0 && pt->img[span]) {
        p->img_max = rows - pt->hdr[span] - cp->min_piece_rows;
        if (p->img_max < cp->min_image_rows)
            p->img_max = cp->min_image_rows;
    }
    p->jumps = true;
    const int *tops = head_tops(c, pt, from, span, p->img_max);
    int text = rows - deepest(tops, span);
    rt_flow_pos *pos = rt_xcalloc(pt->f.n + 1, sizeof *pos);
    int bottom;
    p->to = lay_text(c, pt, p, tops, pos, &bottom);
    free(pos);
    p->text_rows = text;
    if (text < cp->min_piece_rows || p->to <= from || p->to >= pt->f.n)
        return false;
    *rest = (int)cmp_flow_lines(&pt->f, p->to, pt->f.n);
    return true;
}

/* ------------------------------------------------------------- placing */

static void draw_jump_line(composer *c, rt_page *pg, int col, int row, const char *fmt, int page,
                           int lang) {
    const rt_style *st = &c->l->styles[RT_ST_BYLINE];
    char *s = rt_xasprintf(fmt, page);
    cmp_draw_string(c, pg, s, st, lang, cmp_col_x(c, pg, col), c->col_w, cmp_row_baseline(c, row),
                    RT_ALIGN_RIGHT);
    free(s);
}

/* A word hyphenated at the foot of a column and finished at the head of the
 * next is read as two (and extracted as two: "capi-" and "tal"). The
 * paragraphs of this piece that go on from one column into the next are
 * broken again, same lines at the same measures, so that no line at a
 * column's foot ends with a hyphen, when their spacing allows it. Only
 * paragraphs wholly in the piece: the lines of one continued elsewhere
 * stay as they were measured there. */
static void unhyphenate_feet(composer *c, part *pt, const piece *p, const rt_flow_pos *pos,
                             size_t stop) {
    article_flow *f = &pt->f;
    size_t *feet = NULL, n_feet = 0, cap_feet = 0;
    int para = -1;
    size_t first = 0;
    for (size_t k = p->from; k < stop; k++) {
        const flow_item *it = &f->items[k];
        if (it->kind != FI_LINE)
            continue;
        if (it->para != para) {
            para = it->para;
            first = k;
            n_feet = 0;
        }
        const tpara *tp = &f->paras[para];
        size_t n_lines = tp->lines.n;
        if (it->line + 1 < n_lines && k + 1 < stop && f->items[k + 1].kind == FI_LINE &&
            f->items[k + 1].para == para && pos[k + 1].col != pos[k].col) {
            const rt_item *bi = &tp->para->items[tp->lines.lines[it->line].end];
            if (bi->kind == RT_ITEM_PENALTY && bi->flagged)
                RT_PUSH(feet, n_feet, cap_feet, it->line);
        }
        bool whole = first >= p->from && f->items[first].line == 0 && k - first == it->line;
        if (it->line + 1 == n_lines && n_feet && whole)
            cmp_rebreak_unhyphenated(c, &f->paras[para], feet, n_feet);
    }
    free(feet);
}

void cmp_place_piece(composer *c, rt_page *pg, part *pt, const piece *p) {
    const rt_layout *l = c->l;
    const rt_article *a = pt->a;
    rt_article_place *ap = pt->ap;
    if (pt->jump_page) { /* the previous piece's "Suite en page N" */
        draw_jump_line(c, &c->out->pages[pt->jump_page - 1], pt->jump_col, pt->jump_row,
                       l->words[c->e->lang].continued_on, pg->number, c->e->lang);
        ap->segments[ap->n_segments - 1].jump_to = pg->number;
        pt->jump_page = 0;
    }
    if (!pt->started)
        ap->first_page = pg->number;
    piece drawn = *p;
    if (p->extra > 0 && p->from == 0 && !p->jumps)
        drawn.extra = filling_growth(c, pt, p);
    p = &drawn;
    cmp_block_head bh;
    measure_head(c, pt, p->from, p->span, p->extra, p->img_max, &bh);
    cmp_draw_block_head(c, pg, a, &bh, p->top, p->col0);
    for (size_t k = 0; p->from == 0 && k < a->n_images; k++) { /* nothing left out unsaid */
        rt_severity sev = c->ctx->allow_overset ? RT_WARNING : RT_ERROR;
        const rt_image *im = &a->images[k];
        if (k >= bh.n_figs)
            rt_diag_report(c->d, sev, a->path, im->mark.line, im->mark.col,
                           "image '%s' is not printed: an article prints at most %d images",
                           im->file, CMP_MAX_FIGS);
        else if (!bh.figs[k].rows)
            rt_diag_report(c->d, sev, a->path, im->mark.line, im->mark.col,
                           "image '%s' is not printed: no room for it in the story's block on "
                           "page %d (%d columns); fewer images, or a shorter caption, would do",
                           im->file, pg->number, p->span);
    }
    rt_flow_pos *pos = rt_xcalloc(pt->f.n + 1, sizeof *pos);
    int bottom;
    size_t stop = lay_text(c, pt, p, bh.col_top, pos, &bottom);
    int short_rows = p->jumps ? 0 : shortest_column(pt, p, bh.col_top, pos, stop);
    cmp_block_head_free(&bh);
    unhyphenate_feet(c, pt, p, pos, stop);
    /* the fill works in rows from the block's top */
    for (size_t i = p->from; i < stop; i++)
        pos[i].row += p->top;
    int col_map[CMP_MAX_COLS];
    for (int i = 0; i < p->span; i++)
        col_map[i] = p->col0 + i;
    cmp_draw_flow(c, pg, &pt->f, pos, p->from, stop, col_map);
    free(pos);
    rt_segment sg = {.page = pg->number,
                     .top = p->top,
                     .bottom = p->top + p->rows,
                     .columns = p->span,
                     .x = cmp_col_x(c, pg, p->col0),
                     .y = cmp_row_top(c, p->top),
                     .w = cmp_span_w(c, p->span),
                     .h = p->rows * c->B,
                     .col0 = p->col0,
                     .short_rows = short_rows};
    RT_PUSH(ap->segments, ap->n_segments, ap->cap_segments, sg);
    if (p->jumps && stop < pt->f.n) {
        pt->jump_page = pg->number;
        pt->jump_col = p->col0 + p->span - 1;
        pt->jump_row = p->top + p->rows - 1;
    }
    pt->started = true;
    pt->next = stop;
    pt->prev_page = pg->number;
    ap->last_page = pg->number;
}
