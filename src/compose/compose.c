/* compose, top layer: the edition. The front page (masthead, the lead and
 * what follows it, the rail with "in this issue" and the call for
 * messages), the article pages from the planner, the message pages, house
 * pages to a multiple of 4, folios and slugs. */
#include "design.h"
#include "house.h"
#include "messages.h"
#include "order.h"
#include "plan.h"
#include "searches.h"

#include <string.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Folio: running head of an inside page (rows 0..1). */
static void draw_folio(composer *c, rt_page *pg) {
    const rt_style *st = &c->l->styles[RT_ST_FOLIO];
    const rt_words *w = &c->l->words[c->e->lang];
    double x = cmp_area_left(c, pg->number);
    double y = cmp_row_baseline(c, 0);
    char *date = cmp_format_date(c->e);
    char *pageno = rt_xasprintf(w->page, pg->number);
    char *left = rt_xasprintf("%s — %s", c->e->paper, date);
    bool even = pg->number % 2 == 0;
    /* page number on the outer edge, paper and date beside it, section opposite */
    cmp_draw_string(c, pg, pageno, st, c->e->lang, x, c->area_w, y,
                    even ? RT_ALIGN_LEFT : RT_ALIGN_RIGHT);
    double pw = cmp_string_width(c, pageno, st, c->e->lang) + 12;
    if (even)
        cmp_draw_string(c, pg, left, st, c->e->lang, x + pw, c->area_w - pw, y, RT_ALIGN_LEFT);
    else
        cmp_draw_string(c, pg, left, st, c->e->lang, x, c->area_w - pw, y, RT_ALIGN_RIGHT);
    if (pg->section)
        cmp_draw_string(c, pg, pg->section, st, c->e->lang, x, c->area_w, y,
                        even ? RT_ALIGN_RIGHT : RT_ALIGN_LEFT);
    double ry = cmp_row_top(c, 1) + c->B * 0.3;
    cmp_rule(pg, x, ry, x + c->area_w, ry, c->l->rule_width * 2, c->l->rule_color);
    free(date);
    free(pageno);
    free(left);
}

/* Slug line outside the trim, below the bleed (print variant only). */
static void draw_slug(composer *c, rt_page *pg) {
    const rt_style *st = &c->l->styles[RT_ST_FOLIO];
    char *date = cmp_format_date(c->e);
    char *num = rt_xasprintf(c->l->words[c->e->lang].number, c->e->number);
    char *pageno = rt_xasprintf(c->l->words[c->e->lang].page, pg->number);
    char *s = rt_xasprintf("%s — %s — %s — %s", c->e->paper, num, pageno, date);
    double y = c->l->height + c->l->bleed + (RT_MARKS_OFFSET - c->l->bleed) * 0.6;
    cmp_draw_string(c, pg, s, st, c->e->lang, 0, c->l->width, y, RT_ALIGN_LEFT);
    free(date);
    free(num);
    free(pageno);
    free(s);
}

/* Front-page masthead band; returns the first free row below it. */
static int draw_masthead(composer *c, rt_page *pg) {
    const rt_layout *l = c->l;
    const rt_words *w = &l->words[c->e->lang];
    int rows = (int)ceil(l->masthead_height / c->B);
    double x = cmp_area_left(c, pg->number);
    double top = cmp_row_top(c, 0);
    const rt_style *ms = &l->styles[RT_ST_MASTHEAD];
    const rt_style *is = &l->styles[RT_ST_MASTHEAD_INFO];
    double info_base = cmp_row_top(c, rows) - c->B * 0.6;
    double rule_y = info_base - is->leading;
    double title_base = top + (rule_y - top) * 0.5 + rt_font_cap_height(cmp_font(c, ms, 0)) * 0.5;
    cmp_draw_string(c, pg, c->e->paper, ms, c->e->lang, x, c->area_w, title_base, RT_ALIGN_CENTER);
    cmp_rule(pg, x, rule_y, x + c->area_w, rule_y, 2.5, l->accent_color);
    char *num = rt_xasprintf(w->number, c->e->number);
    char *date = cmp_format_date(c->e);
    char *amount = c->e->lang == RT_LANG_EN ? rt_xasprintf("%.2f", c->e->price)
                                            : rt_xasprintf("%.2f", c->e->price);
    if (c->e->lang != RT_LANG_EN)
        for (char *p = amount; *p; p++)
            if (*p == '.')
                *p = ',';
    char *price = rt_xasprintf(w->price, amount);
    cmp_draw_string(c, pg, num, is, c->e->lang, x, c->area_w, info_base, RT_ALIGN_LEFT);
    cmp_draw_string(c, pg, date, is, c->e->lang, x, c->area_w, info_base, RT_ALIGN_CENTER);
    cmp_draw_string(c, pg, price, is, c->e->lang, x, c->area_w, info_base, RT_ALIGN_RIGHT);
    double bottom = cmp_row_top(c, rows) - c->B * 0.15;
    cmp_rule(pg, x, bottom, x + c->area_w, bottom, l->rule_width * 2, l->rule_color);
    free(num);
    free(date);
    free(amount);
    free(price);
    return rows + 1;
}

/* The front page's rail: "in this issue" (the teasers with the pages they
 * start on) on top, the call for supporter messages with the rate card
 * below, filling the column. */
static bool draw_front_rail(composer *c, planner *P, rt_page *pg, int col, int top, int bottom) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    const rt_words *w = &l->words[e->lang];
    double x = cmp_col_x(c, pg, col), cw = c->col_w;
    /* a rule in the gutter, the height of the rail */
    double gx = x - l->gutter / 2;
    cmp_rule(pg, gx, cmp_row_top(c, top), gx, cmp_row_top(c, bottom) - c->B * 0.2, l->rule_width,
             l->rule_color);
    double y = cmp_row_top(c, top);
    /* the edition's teasers, else its strongest stories */
    int picked[8];
    size_t n_teasers = 0;
    const int *teasers = e->teasers;
    if (e->n_teasers) {
        n_teasers = e->n_teasers;
    } else {
        n_teasers = cmp_planner_strongest(P, picked, 5);
        teasers = picked;
    }
    if (n_teasers) {
        const rt_style *ks = &l->styles[RT_ST_KICKER];
        cmp_draw_string(c, pg, w->in_this_issue, ks, e->lang, x, cw, y + ks->size, RT_ALIGN_LEFT);
        y += ks->leading + c->B * 0.3;
        cmp_rule(pg, x, y, x + cw, y, l->rule_width * 2, l->accent_color);
        y += c->B * 0.5;
        const rt_style *ts = &l->styles[RT_ST_TEASER];
        const rt_style *ps = &l->styles[RT_ST_BYLINE];
        for (size_t i = 0; i < n_teasers; i++) {
            const rt_article_place *ap = &c->out->articles[teasers[i]];
            const rt_article *a = ap->article;
            if (!a || !ap->first_page)
                continue;
            if (ap->first_page == 1) { /* an index of the paper, not of its front */
                rt_warning(c->d, e->path, 0, 0,
                           "teaser '%s' is left out of the front page's index: the story is on "
                           "the front page",
                           a->title);
                continue;
            }
            tpara tp;
            if (a->section) {
                const rt_style *ss = &l->styles[RT_ST_CAPTION];
                cmp_draw_string(c, pg, a->section, ss, e->lang, x, cw, y + ss->size, RT_ALIGN_LEFT);
                y += ss->leading;
            }
            if (cmp_typeset_text(c, &tp, a->title, ts, a->lang, cw)) {
                double last = cmp_draw_lines(c, pg, &tp, x, y + ts->size * 0.9, ts->leading);
                y = last + (ts->leading - ts->size);
            }
            cmp_tpara_free(&tp);
            char *pno = rt_xasprintf(w->page, ap->first_page);
            cmp_draw_string(c, pg, pno, ps, e->lang, x, cw, y + ps->size + 1, RT_ALIGN_LEFT);
            free(pno);
            y += ps->leading + c->B * 0.6;
            cmp_rule(pg, x, y, x + cw, y, l->rule_width, l->rule_color);
            y += c->B * 0.6;
        }
    }
    /* the call for messages, with the rate card, in the rest of the rail */
    int row = (int)ceil((y - l->margin_top) / c->B) + 1;
    if (bottom - row < 8 || !w->support_call)
        return false;
    double by = cmp_row_top(c, row), bh = cmp_row_top(c, bottom) - by - c->B * 0.3;
    cmp_frame(pg, x, by, cw, bh, 0, l->accent_color);
    const rt_style *call = &l->styles[RT_ST_CALL];
    double pad = 2 * RT_MM;
    tpara tp;
    double ty = by + pad;
    if (cmp_typeset_text(c, &tp, w->support_call, call, e->lang, cw - 2 * pad)) {
        double last = cmp_draw_lines(c, pg, &tp, x + pad, ty + call->size * 0.9, call->leading);
        ty = last + call->leading * 0.6;
    }
    cmp_tpara_free(&tp);
    const rt_style *rs = &l->styles[RT_ST_RATE];
    for (size_t i = 0; i < l->n_rates && ty + rs->leading < by + bh - pad; i++) {
        char *price = rt_xasprintf("%.0f", l->rates[i].price);
        char *amount = rt_xasprintf(w->price, price);
        cmp_draw_string(c, pg, l->rates[i].name, rs, e->lang, x + pad, cw - 2 * pad, ty + rs->size,
                        RT_ALIGN_LEFT);
        cmp_draw_string(c, pg, amount, rs, e->lang, x + pad, cw - 2 * pad, ty + rs->size,
                        RT_ALIGN_RIGHT);
        free(price);
        free(amount);
        ty += rs->leading;
    }
    return true;
}

bool rt_compose_check_fonts(const rt_layout *l, rt_fonts *fonts, rt_diag *d) {
    bool ok = true;
    if (l->drop_cap_lines && l->drop_cap.font &&
        !rt_fonts_has(fonts, l->drop_cap.font, l->drop_cap.bold, l->drop_cap.italic)) {
        rt_error(d, l->path, l->drop_cap.mark.line, l->drop_cap.mark.col,
                 "drop_cap: font '%s' is not in the fonts folder (available: %s)", l->drop_cap.font,
                 rt_fonts_families(fonts));
        ok = false;
    }
    for (int i = 0; i < RT_ST_COUNT; i++) {
        const rt_style *st = &l->styles[i];
        if (!st->font)
            continue;
        if (!rt_fonts_has(fonts, st->font, st->bold, st->italic)) {
            rt_error(d, l->path, st->mark.line, st->mark.col,
                     "style '%s': font '%s'%s%s is not in the fonts folder (available: %s)",
                     rt_style_names[i], st->font, st->bold ? " bold" : "",
                     st->italic ? " italic" : "", rt_fonts_families(fonts));
            ok = false;
        } else if (st->small_caps &&
                   !rt_font_small_caps(
                       fonts, rt_font_get(fonts, st->font, st->bold, st->italic, st->size))) {
            rt_error(d, l->path, st->mark.line, st->mark.col,
                     "style '%s': font '%s' has no small capitals (OpenType smcp)",
                     rt_style_names[i], st->font);
            ok = false;
        }
    }
    return ok;
}

#define STICKY 0.5 /* house pages (equivalents) watch mode gives up to keep the count */

/* One way to count the pages: the articles planned over `target` pages
 * (0: as many as they need), the messages planned around them. */
typedef struct {
    int target, articles;
    int tag; /* its page searches, kept in watch mode (searches.h) */
    cmp_msg_plan mp;
    int house;     /* house pages still needed to reach a multiple of 4 (or `pages`) */
    int gap_cells; /* gaps of the article pages */
    bool complete; /* every story placed */
    bool sparse;   /* a message page under 3/4 full */
    bool roomy;    /* gaps no message fills: over 3 % of the article pages, or one over 10 % */
    int hollow;    /* article pages more than half gap (a house page in all but name) */
    double equiv;  /* house pages, and the house boxes of article pages as parts of one */
    cmp_plan_saved *plan; /* the article pages so planned */
    bool same;            /* the count the previous build planned (watch mode) */
} count_try;

static void try_count(composer *c, planner *P, int budget, int target, count_try *t) {
    const rt_edition *e = c->e;
    rt_composition *out = c->out;
    memset(t, 0, sizeof *t);
    t->target = target;
    t->tag = c->search_tag = cmp_searches_tag(c); /* the searches kept in watch mode, by count */
    t->articles = cmp_plan_pages(P, budget, target);
    c->search_tag = 0;
    t->plan = cmp_plan_save(P);
    const rt_plan_memory *prev = c->ctx->previous;
    t->same = prev && prev->made > 0 && prev->target == target && prev->made == t->articles;
    t->complete = cmp_planned_complete(P);
    t->gap_cells = cmp_planned_gap_rows(P);
    rt_house_box *gaps;
    size_t n_gaps = cmp_planned_gaps(P, 2, &gaps);
    /* the front page's gap comes first */
    size_t n_all = out->n_house + n_gaps;
    rt_house_box *all = rt_xcalloc(n_all + 1, sizeof *all);
    if (out->n_house) /* memcpy from NULL is undefined, even for 0 bytes */
        memcpy(all, out->house, out->n_house * sizeof *all);
    if (n_gaps)
        memcpy(all + out->n_house, gaps, n_gaps * sizeof *all);
    free(gaps);
    cmp_plan_messages(c, all, n_all, 0, &t->mp);
    int total = 1 + t->articles + t->mp.pages;
    int goal = e->pages ? e->pages : (total + 3) / 4 * 4;
    int slack = goal - total;
    /* more message pages, each still 3/4 full */
    while (slack > 0 && t->mp.pages > 0) {
        cmp_msg_plan wider;
        cmp_plan_messages(c, all, n_all, t->mp.pages + 1, &wider);
        if (wider.pages != t->mp.pages + 1 || wider.fill_min < 0.75) {
            cmp_msg_plan_free(&wider);
            break;
        }
        cmp_msg_plan_free(&t->mp);
        t->mp = wider;
        slack--;
    }
    /* what the call for messages would fill: the gaps less their messages */
    double cell = (c->col_w + c->l->gutter) * c->B;
    double page_cells = (double)c->l->columns * (c->rows - 2), house = 0, worst = 0;
    double *on_page = rt_xcalloc((size_t)t->articles + 3, sizeof *on_page);
    for (size_t g = out->n_house; g < n_all; g++) {
        double a = (all[g].bottom - all[g].top) * all[g].columns * cell;
        for (size_t i = 0; i < e->n_messages; i++)
            if (t->mp.spot[i].gap == (int)g)
                a -= t->mp.spot[i].w * t->mp.spot[i].h;
        a = a > 0 ? a / cell : 0;
        house += a;
        if (a > worst)
            worst = a;
        int k = all[g].page - 2; /* article pages from page 2 */
        if (k >= 0 && k < t->articles)
            on_page[k] += a;
    }
    /* a house box on an article page counts as the part of a house page it
     * is, beyond a tenth of the page, twice over: a story above a call for
     * messages of half a page is no better than the call on a page of its own;
     * on the back page (no message page after it), twice that again: the
     * edition does not end on a call for messages */
    t->equiv = 0;
    for (int k = 0; k < t->articles; k++) {
        t->hollow += on_page[k] > 0.5 * page_cells;
        bool back = k == t->articles - 1 && t->mp.pages == 0;
        if (on_page[k] > 0.1 * page_cells)
            t->equiv += (back ? 4 : 2) * (on_page[k] / page_cells - 0.1);
    }
    free(on_page);
    t->roomy =
        t->articles > 0 && (house > 0.03 * page_cells * t->articles || worst > 0.10 * page_cells);
    free(all);
    t->house = slack > 0 ? slack : 0;
    t->equiv += t->house;
    t->sparse = t->mp.pages > 0 && t->mp.fill_min < 0.75;
    if (c->ctx->plan_debug)
        fprintf(c->ctx->plan_debug,
                "count: target %d -> %d article pages, %d message pages (fill %.2f), %d house "
                "pages, %d hollow (%.2f house pages), complete %d, gaps %d cells, unfilled %.0f "
                "(largest %.0f)\n",
                target, t->articles, t->mp.pages, t->mp.fill_min, t->house, t->hollow, t->equiv,
                t->complete, t->gap_cells, house, worst);
}

/* The better way to count: every story placed, no page with a large gap
 * nothing fills, at most one house page, message pages 3/4 full, fewer
 * house pages, smaller gaps. */
static bool better(const count_try *a, const count_try *b) {
    if (a->complete != b->complete)
        return a->complete;
    /* watch mode: the count planned last time, unless another is clearly
     * better (an edit of a few lines does not move half the paper: the
     * thresholds below would flip on a few cells) */
    if (a->same != b->same && fabs(a->equiv - b->equiv) <= STICKY)
        return a->same;
    if (a->roomy != b->roomy) /* pages a designer signs before the page count */
        return !a->roomy;
    /* house pages, the large house boxes of article pages counted as the
     * part of a house page they are (try_count) */
    double ha = a->equiv, hb = b->equiv;
    if ((ha <= 1.05) != (hb <= 1.05))
        return ha <= 1.05;
    if (a->sparse != b->sparse)
        return !a->sparse;
    if (fabs(ha - hb) > 0.05)
        return ha < hb;
    if (a->house != b->house)
        return a->house < b->house;
    return a->gap_cells < b->gap_cells;
}

rt_composition *rt_compose(const rt_edition *e, rt_doc *const *docs, rt_doc *const *msg_docs,
                           rt_compose_ctx *ctx, rt_diag *d) {
    const rt_layout *l = e->layout;
    if (!l || !rt_compose_check_fonts(l, ctx->fonts, d))
        return NULL;
    rt_composition *out = rt_xcalloc(1, sizeof *out);
    out->width = l->width;
    out->height = l->height;
    out->bleed = l->bleed;
    out->offset = ctx->marks ? RT_MARKS_OFFSET : 0;
    out->n_articles = e->n_entries;
    out->articles = rt_xcalloc(e->n_entries + 1, sizeof *out->articles);
    out->n_messages = e->n_messages;
    out->messages = rt_xcalloc(e->n_messages + 1, sizeof *out->messages);
    for (size_t i = 0; i < e->n_messages; i++)
        out->messages[i].message = (int)i;
    composer c;
    cmp_init(&c, e, ctx, d, out);

    rt_page *front = cmp_new_page(&c);
    int top = draw_masthead(&c, front);
    planner *P = cmp_planner_new(&c, docs);
    /* front page: the lead and what follows it in the main columns, the
     * rail (the last column) for "in this issue" and the call for
     * supporter messages, drawn once page numbers are known */
    int rail = l->columns >= l->compose.rail_columns ? 1 : 0;
    int main_cols = l->columns - rail;
    int end = cmp_plan_front(P, front, 0, main_cols, top, c.rows);
    if (c.rows - end > l->compose.hole_rows)
        cmp_house_box(&c, front, 0, main_cols, end, c.rows);
    int budget = 0;
    if (e->pages) {
        int msg_pages = cmp_message_pages(&c);
        budget = e->pages - msg_pages; /* pages for articles */
        if (budget < 1) {
            rt_error(d, e->path, 0, 0,
                     "pages: %d leaves no page for articles: the supporter messages need %d page%s",
                     e->pages, msg_pages, msg_pages == 1 ? "" : "s");
            budget = 1;
        }
    }
    /* The pages: the articles, then the messages (in the gaps of article
     * pages first). The press prints sheets of 4 pages: the page count that
     * needs the fewest house pages is chosen among the articles as they come,
     * spread evenly over the same pages, over one page less, and over more
     * pages; message pages are added while they stay 3/4 full. */
    count_try best = {0}, held = {0}, t;
    /* watch mode: the page count of the last build first; kept, and no other
     * tried, while it places every story on as many pages and leaves no more
     * than a little more to house than it did when every count was tried
     * (an edit of a few lines) */
    const rt_plan_memory *prev = ctx->previous;
    bool kept = false;
    if (!e->pages && prev && prev->made > 0) {
        try_count(&c, P, budget, prev->target, &held);
        kept = held.same && held.complete && held.equiv <= prev->equiv + STICKY / 2;
        if (kept) {
            best = held;
            held = (count_try){0};
        }
    }
    if (!kept && held.plan && held.target == 0) { /* the first try below */
        best = held;
        held = (count_try){0};
    } else if (!kept) {
        try_count(&c, P, budget, 0, &best);
    }
    if (!e->pages && !kept) {
        int a0 = best.articles;
        int targets[6], nt = 0;
        targets[nt++] = a0; /* the same pages, the stories spread evenly */
        if (a0 > 1)
            targets[nt++] = a0 - 1;
        for (int k = 1; k <= 3; k++)
            targets[nt++] = a0 + k;
        for (int i = 0; i < nt; i++) {
            if (best.house == 0 && !best.roomy && !best.sparse)
                break; /* nothing to mend */
            if (targets[i] > a0 && best.equiv <= 1.05)
                break; /* spreading over more pages only to avoid house pages */
            if (held.plan && held.target == targets[i]) { /* tried already */
                t = held;
                held = (count_try){0};
            } else {
                try_count(&c, P, budget, targets[i], &t);
            }
            if (better(&t, &best)) {
                cmp_searches_drop(&c, best.tag);
                cmp_msg_plan_free(&best.mp);
                cmp_plan_saved_free(best.plan);
                best = t;
            } else {
                cmp_searches_drop(&c, t.tag);
                cmp_msg_plan_free(&t.mp);
                cmp_plan_saved_free(t.plan);
            }
        }
    }
    if (held.plan && better(&held, &best)) { /* the last build's count, not among those tried */
        cmp_searches_drop(&c, best.tag);
        cmp_msg_plan_free(&best.mp);
        cmp_plan_saved_free(best.plan);
        best = held;
    } else if (held.plan) {
        cmp_searches_drop(&c, held.tag);
        cmp_msg_plan_free(&held.mp);
        cmp_plan_saved_free(held.plan);
    }
    cmp_plan_restore(P, best.plan); /* the one chosen */
    cmp_plan_saved_free(best.plan);
    int articles = best.articles;
    out->plan_target = best.target;
    out->plan_pages = best.articles;
    /* kept, the count is measured against the build that tried them all, so
     * that edit after edit cannot each leave a little more to house */
    out->plan_equiv = kept ? prev->equiv : best.equiv;
    cmp_msg_plan mp = best.mp;
    int msg_pages = best.mp.pages, house = best.house;
    /* draw: the article pages, the house pages spread between them (after
     * article page k: after[k]), the back page editorial */
    int *after = rt_xcalloc((size_t)articles + 1, sizeof *after);
    house = cmp_planned_house_places(P, articles, msg_pages, house, after);
    for (int k = 0; k < articles; k++) {
        rt_page *pg = cmp_new_page(&c);
        cmp_draw_planned(P, k, pg);
        for (; after[k] > 0; after[k]--) {
            cmp_house_page(&c);
            out->house_pages++;
        }
    }
    free(after);
    cmp_planner_report(P, (int)out->n_pages, ctx->allow_overset);
    bool called = rail && draw_front_rail(&c, P, &out->pages[0], main_cols, top, c.rows);
    /* gaps: messages where they fit, the call for messages elsewhere */
    cmp_fill_gaps(&c, msg_docs, &mp, called);
    for (; house > 0 && msg_pages > 0; house--) {
        cmp_house_page(&c);
        out->house_pages++;
    }
    cmp_messages(&c, msg_docs, &mp);
    cmp_msg_plan_free(&mp);
    for (; house > 0; house--) {
        cmp_house_page(&c);
        out->house_pages++;
    }
    int target = e->pages ? e->pages : ((int)out->n_pages + 3) / 4 * 4;
    if ((int)out->n_pages > target)
        rt_error(d, e->path, 0, 0, "the edition needs %zu pages; 'pages' says %d", out->n_pages,
                 target);
    while ((int)out->n_pages < target) {
        cmp_house_page(&c);
        out->house_pages++;
    }
    if (out->house_pages > 1 && !e->pages) {
        int filled = target - out->house_pages;
        rt_diag_report(d, RT_NOTE, e->path, 0, 0,
                       "%d house pages added to make %d pages (a multiple of 4): the stories "
                       "and messages fill %d; about %d more pages of copy or photos would need "
                       "none, or %d fewer would make %d pages",
                       out->house_pages, target, filled, out->house_pages, filled - (target - 4),
                       target - 4);
    } else if (out->house_pages) {
        rt_diag_report(d, RT_NOTE, e->path, 0, 0, "%d house page%s added to make %d pages (%s)",
                       out->house_pages, out->house_pages == 1 ? "" : "s", target,
                       e->pages ? "the edition's 'pages'" : "a multiple of 4");
    }
    for (size_t i = 1; i < out->n_pages; i++)
        draw_folio(&c, &out->pages[i]);
    if (ctx->marks)
        for (size_t i = 0; i < out->n_pages; i++)
            draw_slug(&c, &out->pages[i]);
    /* the reading-order marks, last on every page (the rail: its box) */
    double rail_box[4] = {0};
    if (rail) {
        int mast = (int)ceil(l->masthead_height / c.B) + 1;
        rail_box[0] = cmp_col_x(&c, &out->pages[0], main_cols);
        rail_box[1] = cmp_row_top(&c, mast);
        rail_box[2] = c.col_w;
        rail_box[3] = cmp_row_top(&c, c.rows) - rail_box[1];
    }
    cmp_mark_reading_order(&c, rail ? rail_box : NULL);
    for (size_t i = 0; i < out->n_pages; i++) { /* the lists are complete: no room to grow */
        rt_page *pg = &out->pages[i];
        if (pg->n_draws && pg->n_draws < pg->cap_draws) {
            pg->draws = rt_xrealloc(pg->draws, pg->n_draws * sizeof *pg->draws);
            pg->cap_draws = pg->n_draws;
        }
    }
    cmp_planner_free(P);
    cmp_design(&c);
    cmp_done(&c);
    return out;
}

void rt_composition_drop_draws(rt_composition *c) {
    for (size_t i = 0; i < c->n_pages; i++) {
        free(c->pages[i].draws);
        c->pages[i].draws = NULL;
        c->pages[i].n_draws = c->pages[i].cap_draws = 0;
    }
}

void rt_composition_free(rt_composition *c) {
    if (!c)
        return;
    for (size_t i = 0; i < c->n_pages; i++) {
        free(c->pages[i].draws);
        free(c->pages[i].section);
    }
    free(c->pages);
    for (size_t i = 0; i < c->n_articles; i++) {
        rt_stats_free(&c->articles[i].stats);
        free(c->articles[i].segments);
    }
    free(c->messages);
    free(c->house);
    free(c->calls);
    free(c->design);
    for (size_t i = 0; i < c->n_runs; i++)
        rt_run_free(c->runs[i]);
    free(c->runs);
    for (size_t i = 0; i < c->n_warned; i++)
        free(c->warned[i]);
    free(c->warned);
    free(c->articles);
    free(c);
}
