/* compose: the composer's setup, the column grid, pages and drawing
 * primitives (the bottom layer; see grid.h). */
#include "grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cmp_init(composer *c, const rt_edition *e, rt_compose_ctx *ctx, rt_diag *d,
              rt_composition *out) {
    const rt_layout *l = e->layout;
    memset(c, 0, sizeof *c);
    rt_diag_init(&c->sink, NULL);
    c->sink.silent = true;
    c->e = e;
    c->l = l;
    c->ctx = ctx;
    c->d = d ? d : &c->sink;
    c->out = out;
    c->B = l->baseline;
    c->area_w = l->width - l->margin_inner - l->margin_outer;
    c->col_w = (c->area_w - (l->columns - 1) * l->gutter) / l->columns;
    c->rows = (int)floor((l->height - l->margin_top - l->margin_bottom) / c->B + 1e-6);
    rt_break_params_default(&c->bp);
}

void cmp_done(composer *c) {
    rt_diag_clear(&c->sink);
    if (c->memo_free)
        c->memo_free(c->memo);
    c->memo = NULL;
}

/* ------------------------------------------------------------- geometry */

double cmp_area_left(const composer *c, int page_number) {
    /* odd pages are right-hand pages: the inner margin is on the left */
    return page_number % 2 ? c->l->margin_inner : c->l->margin_outer;
}

double cmp_row_top(const composer *c, int row) {
    return c->l->margin_top + row * c->B;
}

double cmp_row_baseline(const composer *c, int row) {
    return cmp_row_top(c, row) + c->B * c->l->compose.baseline_offset;
}

double cmp_col_x(const composer *c, const rt_page *pg, int col) {
    return cmp_area_left(c, pg->number) + col * (c->col_w + c->l->gutter);
}

double cmp_span_w(const composer *c, int span) {
    return span * c->col_w + (span - 1) * c->l->gutter;
}

int cmp_rows_for(const composer *c, double h) {
    int r = (int)ceil(h / c->B - 1e-6);
    return r < 0 ? 0 : r;
}

/* ---------------------------------------------------------------- pages */

rt_page *cmp_new_page(composer *c) {
    rt_composition *o = c->out;
    o->pages = rt_xrealloc(o->pages, (o->n_pages + 1) * sizeof *o->pages);
    rt_page *pg = &o->pages[o->n_pages++];
    memset(pg, 0, sizeof *pg);
    pg->number = (int)o->n_pages;
    return pg;
}

void cmp_house_box(composer *c, rt_page *pg, int col0, int span, int top, int bottom) {
    if ((bottom - top) * c->B - c->B * 0.6 < c->B * 1.5)
        return;
    rt_house_box hb = {
        .page = pg->number, .col0 = col0, .columns = span, .top = top, .bottom = bottom};
    RT_PUSH(c->out->house, c->out->n_house, c->out->cap_house, hb);
}

static const char *const months[RT_LANG_COUNT][12] = {
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"},
    {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
     "oktober", "november", "december"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
};

char *cmp_format_date(const rt_edition *e) {
    const char *m = months[e->lang][(e->month - 1) % 12];
    if (e->lang == RT_LANG_EN)
        return rt_xasprintf("%s %d, %d", m, e->day, e->year);
    if (e->lang == RT_LANG_FR && e->day == 1)
        return rt_xasprintf("1er %s %d", m, e->year);
    return rt_xasprintf("%d %s %d", e->day, m, e->year);
}

const rt_segment *rt_page_next_block(const rt_composition *c, int page, rt_block_iter *it) {
    for (; it->next_a < c->n_articles; it->next_a++, it->next_k = 0) {
        const rt_article_place *ap = &c->articles[it->next_a];
        for (; ap->article && it->next_k < ap->n_segments; it->next_k++)
            if (ap->segments[it->next_k].page == page) {
                it->article = it->next_a;
                it->segment = it->next_k++;
                return &ap->segments[it->segment];
            }
    }
    return NULL;
}

void rt_plan_memory_set(rt_plan_memory *m, const rt_composition *c) {
    rt_plan_memory_free(m);
    m->paths = rt_xcalloc(c->n_articles + 1, sizeof *m->paths);
    m->pages = rt_xcalloc(c->n_articles + 1, sizeof *m->pages);
    m->shapes = rt_xcalloc(c->n_articles + 1, sizeof *m->shapes);
    m->reserve = rt_xcalloc(c->n_articles + 1, sizeof *m->reserve);
    m->target = c->plan_target;
    m->made = c->plan_pages;
    m->equiv = c->plan_equiv;
    /* the planner's page numbers: the front page 1, the article pages from
     * 2 in order (the house and message pages drawn between them are not
     * the planner's) */
    int *planned = rt_xcalloc(c->n_pages + 2, sizeof *planned);
    for (size_t i = 0, k = 1; i < c->n_pages; i++)
        planned[i + 1] = i == 0 ? 1 : c->pages[i].house || c->pages[i].messages ? 0 : (int)++k;
    for (size_t i = 0; i < c->n_articles; i++) {
        int first = c->articles[i].first_page;
        if (c->articles[i].article && first > 0 && (size_t)first <= c->n_pages && planned[first]) {
            m->paths[m->n] = rt_xstrdup(c->articles[i].article->path);
            m->shapes[m->n] = c->articles[i].shape;
            m->pages[m->n++] = planned[first];
        }
    }
    free(planned);
}

void rt_plan_memory_free(rt_plan_memory *m) {
    for (size_t i = 0; i < m->n; i++)
        free(m->paths[i]);
    free(m->paths);
    free(m->pages);
    free(m->shapes);
    free(m->reserve);
    memset(m, 0, sizeof *m);
}

/* ----------------------------------------------------- draw primitives */

rt_draw *cmp_push(rt_page *pg, rt_draw d) {
    RT_PUSH(pg->draws, pg->n_draws, pg->cap_draws, d);
    return &pg->draws[pg->n_draws - 1];
}

void cmp_frame(rt_page *pg, double x, double y, double w, double h, double width, int color) {
    cmp_push(pg, (rt_draw){.kind = RT_DRAW_RECT,
                           .x = x,
                           .y = y,
                           .w = w,
                           .h = h,
                           .color = color,
                           .stroke = width > 0,
                           .line_width = width});
}

void cmp_rule(rt_page *pg, double x1, double y1, double x2, double y2, double width, int color) {
    cmp_push(pg, (rt_draw){.kind = RT_DRAW_LINE,
                           .x = x1,
                           .y = y1,
                           .w = x2,
                           .h = y2,
                           .color = color,
                           .line_width = width});
}
