/* compose: page-design figures of a composition (rt_design, compose.h) and
 * the warnings an editor reads with the other problems: stacked strips, a
 * brief across the page, headlines level side by side, a jump with a small
 * first piece, a page with no dominant story, a large house box. The
 * figures are those the page-design goals are stated in. */
#include "design.h"
#include "msgbox.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *kind(const rt_page *pg) {
    return pg->number == 1 ? "front" : pg->messages ? "messages" : pg->house ? "house" : "articles";
}

/* Rows of text per column a segment holds, estimated from its article's
 * lines shared over its segments by area (less a header allowance). */
static double text_rows(const rt_article_place *ap, size_t k) {
    double total = 0, mine = 0;
    for (size_t i = 0; i < ap->n_segments; i++) {
        const rt_segment *sg = &ap->segments[i];
        int head = i == 0 ? 7 : 4, rows = sg->bottom - sg->top - head;
        double w = sg->columns * (rows > 1 ? rows : 1);
        total += w;
        if (i == k)
            mine = w;
    }
    const rt_segment *sg = &ap->segments[k];
    return total > 0 ? ap->lines * mine / total / (sg->columns > 0 ? sg->columns : 1) : 0;
}

/* The cells of the message grid a box of w x h points covers. */
static int msg_cells(const composer *c, double w, double h) {
    double cw, ch, g = c->l->gutter;
    cmp_msg_box_size(c, &(rt_rate){.columns = 1, .rows = 1}, &cw, &ch);
    return (int)lround((w + g) / (cw + g)) * (int)lround((h + g) / (ch + g));
}

void cmp_design(composer *c) {
    rt_composition *out = c->out;
    const rt_layout *l = c->l;
    int C = l->columns, R0 = 2, R = c->rows;
    int cells = C * (R - R0);
    out->design = rt_xcalloc(out->n_pages + 1, sizeof *out->design);
    rt_design *t = &out->totals;
    memset(t, 0, sizeof *t);
    unsigned char *occ = rt_xcalloc((size_t)(C * R) + 1, 1); /* 0 free, 1 block, 2 house, 3 msg */
    double fill_sum = 0;
    int n_msg_pages = 0;
    double house_cells = 0, empty_cells = 0, art_cells = 0;
    for (size_t p = 0; p < out->n_pages; p++) {
        const rt_page *pg = &out->pages[p];
        rt_page_design *pd = &out->design[p];
        if (pg->messages) { /* message pages: their fill below the first message */
            double top = -1, area = 0;
            int taken = 0; /* message grid cells under messages and calls */
            for (size_t i = 0; i < out->n_messages; i++) {
                const rt_message_place *m = &out->messages[i];
                if (m->page != pg->number)
                    continue;
                if (top < 0 || m->y < top)
                    top = m->y;
                area += m->w * m->h;
                taken += msg_cells(c, m->w, m->h);
            }
            for (size_t i = 0; i < out->n_calls; i++)
                if (out->calls[i].page == pg->number)
                    taken += msg_cells(c, out->calls[i].w, out->calls[i].h);
            int grid = l->msg_columns * l->msg_rows;
            double blank = grid > 0 ? 1 - taken / (double)grid : 0;
            if (top >= 0 && blank > t->message_blank_max)
                t->message_blank_max = blank;
            if (top >= 0) {
                double region = c->area_w * (cmp_row_top(c, R) - top);
                double f = region > 0 ? area / region : 0;
                fill_sum += f;
                if (!n_msg_pages || f < t->message_fill_min)
                    t->message_fill_min = f;
                n_msg_pages++;
            }
            continue;
        }
        if (strcmp(kind(pg), "articles") != 0)
            continue;
        t->article_pages++;
        memset(occ, 0, (size_t)(C * R));
        const rt_segment *big = NULL, *second = NULL, *tl = NULL;
        rt_block_iter it = {0};
        for (const rt_segment *sg; (sg = rt_page_next_block(out, pg->number, &it));) {
            const rt_article_place *ap = &out->articles[it.article];
            pd->blocks++;
            for (int x = sg->col0; x < sg->col0 + sg->columns && x < C; x++)
                for (int y = sg->top; y < sg->bottom && y < R; y++)
                    occ[y * C + x] = 1;
            int a = sg->columns * (sg->bottom - sg->top);
            if (!big || a > big->columns * (big->bottom - big->top)) {
                second = big;
                big = sg;
            } else if (!second || a > second->columns * (second->bottom - second->top)) {
                second = sg;
            }
            if (!tl || sg->top < tl->top || (sg->top == tl->top && sg->col0 < tl->col0))
                tl = sg;
            if (sg->columns >= C) {
                pd->full_width++;
            }
            if (sg->columns >= 4 && text_rows(ap, it.segment) < 12 &&
                sg->bottom - sg->top < 0.4 * (R - R0)) {
                pd->shallow++;
            }
            if (sg->short_rows >= RT_HOLLOW_ROWS) {
                pd->hollow++;
                rt_warning(c->d, ap->article->path, 0, 0,
                           "page %d: a column of '%s' ends %d rows above its block's foot",
                           pg->number, ap->article->title, sg->short_rows);
            }
            if (ap->role == RT_ROLE_BRIEF && sg->columns >= 3 && C >= 4) {
                pd->briefs_wide++;
                rt_warning(c->d, ap->article->path, 0, 0,
                           "page %d: a brief set across %d columns (briefs go in the rail)",
                           pg->number, sg->columns);
            }
            /* side by side, level: the block starting where this one ends */
            rt_block_iter it2 = {0};
            for (const rt_segment *o; (o = rt_page_next_block(out, pg->number, &it2));)
                if (o->col0 == sg->col0 + sg->columns && o->top == sg->top) {
                    pd->bumps++;
                    rt_warning(c->d, c->e->path, 0, 0,
                               "page %d: headlines level side by side ('%s' and '%s')", pg->number,
                               ap->article->title, out->articles[it2.article].article->title);
                }
        }
        /* full-width strips one under another */
        int run = 0, prev_end = -100;
        rt_block_iter it3 = {0};
        int tops[64], ends[64], nfw = 0;
        for (const rt_segment *sg; (sg = rt_page_next_block(out, pg->number, &it3));)
            if (sg->columns >= C && nfw < 64) {
                tops[nfw] = sg->top;
                ends[nfw++] = sg->bottom;
            }
        for (int i = 0; i < nfw; i++) /* in order of their tops */
            for (int k = i + 1; k < nfw; k++)
                if (tops[k] < tops[i]) {
                    int a = tops[i], b = ends[i];
                    tops[i] = tops[k];
                    ends[i] = ends[k];
                    tops[k] = a;
                    ends[k] = b;
                }
        for (int i = 0; i < nfw; i++) {
            run = tops[i] - prev_end <= 2 ? run + 1 : 1;
            if (run > pd->stack)
                pd->stack = run;
            prev_end = ends[i];
        }
        if (pd->full_width >= 3 || pd->stack >= 3)
            rt_warning(c->d, c->e->path, 0, 0, "page %d: %d full-width strips one under another",
                       pg->number, pd->stack > pd->full_width ? pd->stack : pd->full_width);
        if (big) {
            int ab = big->columns * (big->bottom - big->top);
            pd->largest_share = ab / (double)cells;
            pd->largest_top = tl && tl->columns * (tl->bottom - tl->top) == ab;
            pd->dominant =
                !second || ab * 4 >= second->columns * (second->bottom - second->top) * 5;
            if (!pd->dominant)
                rt_warning(c->d, c->e->path, 0, 0,
                           "page %d: no dominant story (its two largest blocks are nearly the "
                           "same size)",
                           pg->number);
        }
        /* house boxes and messages on the page */
        for (size_t h = 0; h < out->n_house; h++) {
            const rt_house_box *hb = &out->house[h];
            if (hb->page != pg->number)
                continue;
            for (int x = hb->col0; x < hb->col0 + hb->columns && x < C; x++)
                for (int y = hb->top; y < hb->bottom && y < R; y++)
                    if (!occ[y * C + x])
                        occ[y * C + x] = 2;
        }
        for (size_t i = 0; i < out->n_messages; i++) {
            const rt_message_place *m = &out->messages[i];
            if (m->page != pg->number)
                continue;
            for (int x = 0; x < C; x++) {
                double cx = cmp_col_x(c, pg, x) + c->col_w / 2;
                if (cx < m->x || cx > m->x + m->w)
                    continue;
                for (int y = R0; y < R; y++) {
                    double cy = cmp_row_top(c, y) + c->B / 2;
                    if (cy >= m->y && cy <= m->y + m->h && occ[y * C + x] != 1)
                        occ[y * C + x] = 3;
                }
            }
        }
        /* the house boxes' own area (what messages do not cover) */
        for (size_t h = 0; h < out->n_house; h++) {
            const rt_house_box *hb = &out->house[h];
            if (hb->page != pg->number)
                continue;
            int own = 0;
            for (int x = hb->col0; x < hb->col0 + hb->columns && x < C; x++)
                for (int y = hb->top; y < hb->bottom && y < R; y++)
                    own += occ[y * C + x] == 2;
            double share = own / (double)cells;
            if (share > t->house_max)
                t->house_max = share;
            if (share > RT_HOUSE_BOX_MAX)
                rt_warning(c->d, c->e->path, 0, 0,
                           "page %d: a house box of %.0f%% of the page (more than 10%%)",
                           pg->number, share * 100);
        }
        int house = 0, empty = 0;
        for (int x = 0; x < C; x++)
            for (int y = R0; y < R;) {
                if (occ[y * C + x]) {
                    house += occ[y * C + x] == 2;
                    y++;
                    continue;
                }
                int s = y;
                while (y < R && !occ[y * C + x])
                    y++;
                int n = y - s;
                bool below = y<R, above = s> R0;
                empty += below && (above || n == 1) ? n - 1 : n;
            }
        pd->house_share = house / (double)cells;
        pd->empty_share = empty / (double)cells;
        house_cells += house;
        empty_cells += empty;
        art_cells += cells;
        t->full_width_per_page += pd->full_width;
        t->pages_with_3_strips += pd->full_width >= 3;
        if (pd->stack > t->max_stack)
            t->max_stack = pd->stack;
        t->shallow += pd->shallow;
        t->hollow += pd->hollow;
        t->bumps += pd->bumps;
        t->briefs_wide += pd->briefs_wide;
        t->largest_top += pd->largest_top;
    }
    free(occ);
    if (t->article_pages)
        t->full_width_per_page /= t->article_pages;
    t->house_share = art_cells > 0 ? house_cells / art_cells : 0;
    t->empty_share = art_cells > 0 ? empty_cells / art_cells : 0;
    t->message_fill_mean = n_msg_pages ? fill_sum / n_msg_pages : 0;
    /* jumps */
    int placed = 0;
    for (size_t a = 0; a < out->n_articles; a++) {
        const rt_article_place *ap = &out->articles[a];
        if (!ap->article || !ap->n_segments)
            continue;
        placed++;
        int nj = 0;
        double first = 0, all = 0;
        for (size_t k = 0; k < ap->n_segments; k++) {
            const rt_segment *sg = &ap->segments[k];
            double area = sg->columns * (sg->bottom - sg->top);
            all += area;
            if (k == 0)
                first = area;
            if (sg->jump_to) {
                nj++;
                if (sg->page == 1)
                    t->front_jumps++;
            }
        }
        t->jumps += nj;
        t->articles_jumping += nj > 0;
        t->jumped_twice += nj > 1;
        if (nj && first * 3 < all) {
            t->small_first_pieces++;
            if (ap->segments[0].page > 0 && (size_t)ap->segments[0].page <= out->n_pages)
                out->design[ap->segments[0].page - 1].small_jumps++;
            rt_warning(c->d, ap->article->path, 0, 0,
                       "jumps from page %d with under a third of it on that page",
                       ap->segments[0].page);
        }
    }
    t->jumps_per_article = placed ? t->jumps / (double)placed : 0;
    t->house_pages = out->house_pages;
    t->back = out->n_pages ? kind(&out->pages[out->n_pages - 1]) : "front";
}
